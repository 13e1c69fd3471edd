import type { JSX } from "solid-js";
import { Match, Switch } from "solid-js";
import type { Live } from "../live";
import { ErrorText } from "./message";

/** A titled card that shows loading, error and loaded states of one live query. */
export function Panel<T>(props: {
  title: string;
  live: Live<T>;
  onRetry: () => void;
  class?: string;
  children: (data: () => T) => JSX.Element;
}) {
  const id = `panel-${props.title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section class={`card panel ${props.class ?? ""}`} aria-labelledby={id} aria-busy={props.live.loading()}>
      <h2 id={id}>{props.title}</h2>
      <Switch fallback={<div class="skeleton" aria-label="Loading" />}>
        <Match when={props.live.data()}>{(data) => props.children(data)}</Match>
        <Match when={props.live.error()}>
          <ErrorText error={props.live.error()} onRetry={props.onRetry} />
        </Match>
      </Switch>
    </section>
  );
}
