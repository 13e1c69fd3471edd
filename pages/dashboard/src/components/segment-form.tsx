import { createSignal, Show } from "solid-js";
import { actionError } from "../admin/errors";
import { MAX_SEGMENT_NAME_LENGTH, type SegmentVisibility } from "@pixel/lib/segments";

/** "Save as segment": a name and who sees it; what the API refuses (a name in use, sharing as a viewer) shows here. */
export function SegmentForm(props: { onSave: (name: string, visibility: SegmentVisibility) => Promise<void> }) {
  const [open, setOpen] = createSignal(false);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError("");
    try {
      await props.onSave(String(form.get("name") ?? "").trim(), form.get("shared") ? "shared" : "private");
      setOpen(false);
    } catch (failure) {
      setError(actionError(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="link-button" data-testid="save-segment" onClick={() => setOpen(true)}>
          Save as segment
        </button>
      }
    >
      <form class="segment-form" data-testid="segment-form" onSubmit={submit}>
        <input name="name" required maxLength={MAX_SEGMENT_NAME_LENGTH} placeholder="Segment name" aria-label="Segment name" data-testid="segment-name" autofocus />
        <label>
          <input type="checkbox" name="shared" data-testid="segment-shared" /> Share with the site's members
        </label>
        <button type="submit" class="button" disabled={busy()} data-testid="segment-submit">
          Save
        </button>
        <button type="button" class="link-button" onClick={() => (setOpen(false), setError(""))}>
          Cancel
        </button>
        <Show when={error()}>
          <p class="alert" role="alert" data-testid="segment-error">
            {error()}
          </p>
        </Show>
      </form>
    </Show>
  );
}
