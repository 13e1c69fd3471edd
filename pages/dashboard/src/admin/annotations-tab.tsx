import { createResource, For, Show } from "solid-js";
import { MAX_ANNOTATION_LENGTH } from "@pixel/lib/annotations";
import type { Annotation } from "../annotations";
import { api } from "../api/client";
import { createAction } from "./action";
import { adminApi } from "./api";
import { ActionError, ConfirmButton, Field, fieldAria, Loading } from "./ui";

/** Dated notes shown on the overview chart; the api checks the date and the text's length. */
export function AnnotationsTab(props: { siteId: string; today: string }) {
  const [annotations, { refetch, mutate }] = createResource(() => props.siteId, (siteId) => api.annotations(siteId));
  const byDate = (list: Annotation[]) => [...list].sort((a, b) => a.date.localeCompare(b.date));
  const create = createAction(async (note: { date: string; text: string }, form: HTMLFormElement) => {
    const created = await adminApi.createAnnotation(props.siteId, note);
    mutate(byDate([...(annotations() ?? []), created]));
    form.reset();
  });
  const remove = createAction(async (note: Annotation) => {
    await adminApi.deleteAnnotation(props.siteId, note.id);
    mutate((annotations() ?? []).filter((entry) => entry.id !== note.id));
  });

  async function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    await create.run({ date: String(data.get("date") ?? ""), text: String(data.get("text") ?? "") }, event.currentTarget);
  }

  return (
    <>
      <section class="card admin-form" aria-labelledby="annotations-title" data-testid="annotations">
        <h3 id="annotations-title">Annotations</h3>
        <p class="muted">Notes on a day, like “launched pricing v2”: members see them on the chart. Share links don't.</p>
        <Show when={annotations.state === "ready" || annotations.state === "refreshing" ? annotations() : undefined} fallback={<Loading error={annotations.error} onRetry={refetch} />}>
          {(list) => (
            <Show when={list().length} fallback={<p class="empty">No annotations yet.</p>}>
              <ul class="admin-list">
                <For each={list()}>
                  {(note) => (
                    <li data-testid="annotation-row">
                      <span class="admin-list-main">
                        <strong>{note.date}</strong>
                        <span>{note.text}</span>
                      </span>
                      <ConfirmButton label="Delete" confirmLabel={`Delete the note of ${note.date}`} disabled={remove.pending()} onConfirm={() => void remove.run(note)} testId="delete-annotation" />
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
        <ActionError error={remove.error()} />
      </section>
      <form class="card admin-form" onSubmit={submit} aria-labelledby="new-annotation-title" aria-busy={create.pending()} data-testid="annotation-form">
        <h3 id="new-annotation-title">Add an annotation</h3>
        <Field id="annotation-date" label="Day" hint="In the site's timezone.">
          <input id="annotation-date" name="date" type="date" required value={props.today} data-testid="annotation-date" {...fieldAria("annotation-date", undefined)} />
        </Field>
        <Field id="annotation-text" label="Note">
          <input id="annotation-text" name="text" required maxlength={MAX_ANNOTATION_LENGTH} placeholder="Launched pricing v2" data-testid="annotation-text" {...fieldAria("annotation-text", undefined)} />
        </Field>
        <ActionError error={create.error()} testId="annotation-error" />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={create.pending()} data-testid="create-annotation">
            {create.pending() ? "Adding…" : "Add annotation"}
          </button>
        </div>
      </form>
    </>
  );
}
