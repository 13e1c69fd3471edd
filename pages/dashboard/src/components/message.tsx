import type { JSX } from "solid-js";
import { Show } from "solid-js";
import { errorHint, messageOf } from "../api/client";

/** A centered, whole-page message: loading, errors, empty states. */
export function Message(props: { title: string; children?: JSX.Element; busy?: boolean }) {
  return (
    <main class="message" aria-busy={props.busy ? "true" : undefined}>
      <Show when={props.busy}>
        <span class="spinner" aria-hidden="true" />
      </Show>
      <h1>{props.title}</h1>
      {props.children}
    </main>
  );
}

export function ErrorText(props: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="error-text" role="alert">
      <p>
        <strong>{messageOf(props.error)}</strong> {errorHint(props.error)}
      </p>
      <Show when={props.onRetry}>
        {(retry) => (
          <button type="button" class="button" onClick={() => retry()()}>
            Retry
          </button>
        )}
      </Show>
    </div>
  );
}

/** A short problem beside what caused it, announced to screen readers. */
export function Alert(props: { message: string | undefined }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="alert" role="alert">
          {message()}
        </p>
      )}
    </Show>
  );
}
