import { createSignal, type JSX, onCleanup, Show } from "solid-js";
import { ErrorText } from "../components/message";
import { copyText } from "./clipboard";
import { actionError } from "./errors";

/** The error of a failed change, announced, with what to do. */
export function ActionError(props: { error: unknown; id?: string; testId?: string }) {
  return (
    <Show when={props.error}>
      <p class="alert" role="alert" id={props.id} data-testid={props.testId ?? "action-error"}>
        {actionError(props.error)}
      </p>
    </Show>
  );
}

/** A short, polite confirmation that a change was saved. */
export function Saved(props: { when: boolean; children: JSX.Element; testId?: string }) {
  return (
    <p class="saved" role="status" data-testid={props.testId ?? "saved"}>
      <Show when={props.when}>{props.children}</Show>
    </p>
  );
}

/** For someone whose role doesn't allow the page, even when they typed its URL. */
export function NoAccess(props: { what: string }) {
  return (
    <section class="card admin-empty" data-testid="no-access" aria-labelledby="no-access-title">
      <h3 id="no-access-title">You don't have access</h3>
      <p>
        {props.what} If you need it, ask the site's owner or a global admin of this Pixel.
      </p>
    </section>
  );
}

/** The loading and error states of something a page reads before it can show its form. */
export function Loading(props: { error?: unknown; onRetry?: () => void }) {
  return (
    <Show when={props.error} fallback={<div class="skeleton admin-skeleton" aria-label="Loading" aria-busy="true" />}>
      <ErrorText error={props.error} onRetry={props.onRetry} />
    </Show>
  );
}

/** Copies `text`, says so for a moment, and selects `target` where the browser won't copy. */
export function CopyButton(props: { text: string; target: () => HTMLElement | undefined; label?: string; testId?: string }) {
  const [state, setState] = createSignal<"idle" | "copied" | "select">("idle");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  async function copy() {
    const copied = await copyText(props.text, props.target());
    setState(copied ? "copied" : "select");
    clearTimeout(timer);
    timer = setTimeout(() => setState("idle"), 4000);
  }
  return (
    <span class="copy">
      <button type="button" class="button" onClick={copy} data-testid={props.testId ?? "copy"}>
        {state() === "copied" ? "Copied" : (props.label ?? "Copy")}
      </button>
      <span role="status" class="copy-status">
        <Show when={state() === "select"}>Selected: press Ctrl+C (⌘C) to copy.</Show>
      </span>
    </span>
  );
}

/** A button that asks once more before it does something that can't be undone. */
export function ConfirmButton(props: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}) {
  const [asking, setAsking] = createSignal(false);
  let confirmButton: HTMLButtonElement | undefined;
  return (
    <Show
      when={asking()}
      fallback={
        <button
          type="button"
          class="button"
          disabled={props.disabled}
          data-testid={props.testId}
          onClick={() => {
            setAsking(true);
            confirmButton?.focus();
          }}
        >
          {props.label}
        </button>
      }
    >
      <span class="confirm">
        <button
          ref={(element) => {
            confirmButton = element;
            queueMicrotask(() => element.focus());
          }}
          type="button"
          class="button danger"
          disabled={props.disabled}
          data-testid={props.testId ? `${props.testId}-confirm` : undefined}
          onClick={() => {
            setAsking(false);
            props.onConfirm();
          }}
        >
          {props.confirmLabel}
        </button>
        <button type="button" class="button" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </span>
    </Show>
  );
}

/** A labelled form field with its hint and its error, both tied to the control through aria-describedby. */
export function Field(props: { id: string; label: string; hint?: JSX.Element; error?: string; children: JSX.Element }) {
  return (
    <div class="form-field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      <Show when={props.hint}>
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      </Show>
      <Show when={props.error}>
        <span class="field-error" role="alert" id={`${props.id}-error`} data-testid={`${props.id}-error`}>
          {props.error}
        </span>
      </Show>
    </div>
  );
}

/** aria attributes for the control inside a Field. */
export const fieldAria = (id: string, error: string | undefined, hint = true) => ({
  "aria-describedby": [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined,
  "aria-invalid": error ? ("true" as const) : undefined,
});
