import type { JSX } from "solid-js";
import { onMount } from "solid-js";

/** A modal dialog: the browser keeps focus inside it, and Escape or the close button ends it. */
export function ReportDialog(props: { title: string; testId: string; onClose: () => void; children: JSX.Element }) {
  let dialog: HTMLDialogElement | undefined;
  onMount(() => dialog?.showModal());
  return (
    <dialog ref={dialog} class="report-dialog" aria-labelledby={`${props.testId}-title`} data-testid={props.testId} onClose={() => props.onClose()}>
      <div class="report-dialog-body">
        <header class="report-dialog-head">
          <h2 id={`${props.testId}-title`}>{props.title}</h2>
          <button type="button" class="button" onClick={() => dialog?.close()} aria-label="Close">
            ✕
          </button>
        </header>
        {props.children}
      </div>
    </dialog>
  );
}
