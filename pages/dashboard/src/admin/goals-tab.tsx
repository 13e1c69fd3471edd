import { createResource, createSignal, For, Show } from "solid-js";
import { createAction } from "./action";
import { adminApi, type Goal, type NewGoal } from "./api";
import { COMMON_CURRENCIES, goalFrom, goalSummary } from "./goal-form";
import { ActionError, ConfirmButton, Field, fieldAria, Loading } from "./ui";

export function GoalsTab(props: { siteId: string }) {
  const [goals, { refetch, mutate }] = createResource(() => props.siteId, adminApi.goals);
  const [kind, setKind] = createSignal<NewGoal["kind"]>("event");
  const [formError, setFormError] = createSignal<{ field: string; message: string }>();
  const errorOf = (field: string) => (formError()?.field === field ? formError()!.message : undefined);
  const create = createAction(async (goal: NewGoal, form: HTMLFormElement) => {
    const created = await adminApi.createGoal(props.siteId, goal);
    mutate([...(goals() ?? []), created]);
    form.reset();
    setKind("event");
  });
  const remove = createAction(async (goal: Goal) => {
    await adminApi.deleteGoal(props.siteId, goal.id);
    mutate((goals() ?? []).filter((entry) => entry.id !== goal.id));
    document.getElementById("goal-target")?.focus();
  });

  async function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const checked = goalFrom(kind(), String(data.get("target") ?? ""), String(data.get("displayName") ?? ""), String(data.get("currency") ?? ""));
    setFormError(checked.ok ? undefined : checked);
    if (!checked.ok) return form.querySelector<HTMLInputElement>(`#goal-${checked.field}`)?.focus();
    await create.run(checked.value, form);
  }

  return (
    <>
      <section class="card admin-form" aria-labelledby="goals-title" data-testid="goals">
        <h3 id="goals-title">Goals</h3>
        <p class="muted">Goals count conversions: a custom event your pages send, or a visit to pages matching a path.</p>
        <Show when={goals.state === "ready" || goals.state === "refreshing" ? goals() : undefined} fallback={<Loading error={goals.error} onRetry={refetch} />}>
          {(list) => (
            <Show when={list().length} fallback={<p class="empty" data-testid="goals-empty">No goals yet. Add the first one below.</p>}>
              <ul class="admin-list">
                <For each={list()}>
                  {(goal) => (
                    <li data-testid="goal-row">
                      <span class="admin-list-main">
                        <strong data-testid="goal-name">{goal.displayName}</strong>
                        <span class="muted">{goalSummary(goal)}</span>
                      </span>
                      <ConfirmButton label="Delete" confirmLabel={`Delete ${goal.displayName}`} disabled={remove.pending()} onConfirm={() => void remove.run(goal)} testId="delete-goal" />
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
        <ActionError error={remove.error()} />
      </section>
      <form class="card admin-form" onSubmit={submit} aria-labelledby="new-goal-title" aria-busy={create.pending()} data-testid="goal-form">
        <h3 id="new-goal-title">Add a goal</h3>
        <fieldset class="choice">
          <legend>Counts</legend>
          <label>
            <input type="radio" name="kind" value="event" checked={kind() === "event"} onChange={() => setKind("event")} data-testid="goal-kind-event" />
            a custom event
          </label>
          <label>
            <input type="radio" name="kind" value="page" checked={kind() === "page"} onChange={() => setKind("page")} data-testid="goal-kind-page" />
            a pageview
          </label>
        </fieldset>
        <Field
          id="goal-target"
          label={kind() === "event" ? "Event name" : "Page path"}
          hint={kind() === "event" ? "As your pages send it: _pixel.push([\"track\", \"signup\"])." : "Starts with /; * matches any characters, like /pricing* or /blog/*."}
          error={errorOf("target")}
        >
          <input id="goal-target" name="target" required spellcheck={false} placeholder={kind() === "event" ? "signup" : "/pricing*"} data-testid="goal-target" {...fieldAria("goal-target", errorOf("target"))} />
        </Field>
        <Show when={kind() === "event"}>
          <Field
            id="goal-currency"
            label="Revenue currency (optional)"
            hint="An ISO 4217 code such as EUR: makes this a revenue goal, whose conversions' revenue the Goals card totals."
            error={errorOf("currency")}
          >
            <input id="goal-currency" name="currency" list="goal-currencies" maxlength="3" spellcheck={false} autocomplete="off" placeholder="EUR" data-testid="goal-currency" {...fieldAria("goal-currency", errorOf("currency"))} />
            <datalist id="goal-currencies">
              <For each={COMMON_CURRENCIES}>{(code) => <option value={code} />}</For>
            </datalist>
          </Field>
        </Show>
        <Field id="goal-display" label="Display name (optional)" hint="Shown in reports; the event name or “Visit <path>” when empty.">
          <input id="goal-display" name="displayName" maxlength="200" data-testid="goal-display" {...fieldAria("goal-display", undefined)} />
        </Field>
        <ActionError error={create.error()} testId="goal-error" />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={create.pending()} data-testid="create-goal">
            {create.pending() ? "Adding…" : "Add goal"}
          </button>
        </div>
      </form>
    </>
  );
}
