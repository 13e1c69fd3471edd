import type { JSX } from "solid-js";
import { Match, Switch } from "solid-js";
import type { Live } from "../live";
import { ErrorText } from "./message";

/** The loading and error states of one live query; children get the data. */
export function LiveState<T>(props: { live: Live<T>; onRetry: () => void; children: (data: () => T) => JSX.Element }) {
  return (
    <Switch fallback={<div class="skeleton" aria-label="Loading" />}>
      <Match when={props.live.data()}>{(data) => props.children(data)}</Match>
      <Match when={props.live.error()}>
        <ErrorText error={props.live.error()} onRetry={props.onRetry} />
      </Match>
    </Switch>
  );
}

/** A titled card around one live query. */
export function Panel<T>(props: {
  title: string;
  live: Live<T>;
  onRetry: () => void;
  class?: string;
  actions?: JSX.Element;
  children: (data: () => T) => JSX.Element;
}) {
  const id = `panel-${props.title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section class={`card panel ${props.class ?? ""}`} aria-labelledby={id} aria-busy={props.live.loading()}>
      <div class="panel-head">
        <h2 id={id}>{props.title}</h2>
        {props.actions}
      </div>
      <LiveState live={props.live} onRetry={props.onRetry}>
        {props.children}
      </LiveState>
    </section>
  );
}
