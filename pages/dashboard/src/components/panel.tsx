import type { JSX } from "solid-js";
import { Match, Show, Switch } from "solid-js";
import type { Live } from "../live";
import { Unavailable } from "../load";
import { ErrorText } from "./message";

/** The loading, error and not-yet-available states of one live query; children get the data. */
export function LiveState<T>(props: { live: Live<T>; onRetry: () => void; children: (data: () => T) => JSX.Element }) {
  return (
    <Switch fallback={<div class="skeleton" aria-label="Loading" />}>
      <Match when={props.live.data()}>{(data) => props.children(data)}</Match>
      <Match when={props.live.error() instanceof Unavailable}>
        <NotAvailable reason={(props.live.error() as Unavailable).reason} />
      </Match>
      <Match when={props.live.error()}>
        <ErrorText error={props.live.error()} onRetry={props.onRetry} />
      </Match>
    </Switch>
  );
}

/** Honest about a part of the API that hasn't landed yet, without alarming anyone. */
export function NotAvailable(props: { reason?: string }) {
  return (
    <p class="unavailable" data-testid="not-available">
      <strong>Not available yet.</strong> This Pixel API can't answer it yet; it will show up once the
      API is updated.
      <Show when={props.reason}>
        <span class="reason"> ({props.reason})</span>
      </Show>
    </p>
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
