import { createSignal } from "solid-js";
import { ApiError } from "../api/client";
import type { User } from "../api/types";
import { createAction } from "./action";
import { adminApi } from "./api";
import { actionError } from "./errors";
import { PASSWORD_RULE, passwordProblem } from "./password";
import { Sessions } from "./sessions";
import { TwoFactor } from "./two-factor";
import { ActionError, Field, fieldAria, Saved } from "./ui";

type PasswordField = "current" | "next" | "repeat";

export function Account(props: { user: User; onSignedOut: () => void }) {
  const [errors, setErrors] = createSignal<Partial<Record<PasswordField, string>>>({});
  const [done, setDone] = createSignal(false);
  const change = createAction(async (current: string, next: string, form: HTMLFormElement) => {
    await adminApi.changePassword(current, next);
    form.reset();
    setDone(true);
  });

  async function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const [current, next, repeat] = (["current", "next", "repeat"] as const).map((name) => String(data.get(name) ?? ""));
    setDone(false);
    setErrors({});
    const problem = passwordProblem(current!, next!, repeat!);
    if (problem) return show(form, problem.field, problem.message);
    const ok = await change.run(current!, next!, form);
    const error = change.error();
    if (ok || !(error instanceof ApiError) || error.status !== 400) return;
    change.clear();
    show(form, error.message.startsWith("currentPassword") ? "current" : "next", actionError(error));
  }

  function show(form: HTMLFormElement, field: PasswordField, message: string) {
    setErrors({ [field]: message });
    form.querySelector<HTMLInputElement>(`[name="${field}"]`)?.focus();
  }

  return (
    <>
      <section class="card admin-form" aria-labelledby="me-title">
        <h3 id="me-title">Signed in as</h3>
        <p data-testid="account-email">
          <strong>{props.user.email}</strong>
          {props.user.name ? ` (${props.user.name})` : ""} · {props.user.role === "admin" ? "global admin" : "user"}
        </p>
      </section>
      <form class="card admin-form" onSubmit={submit} aria-labelledby="password-title" aria-busy={change.pending()} data-testid="password-form">
        <h3 id="password-title">Change your password</h3>
        <Field id="password-current" label="Current password" error={errors().current}>
          <input id="password-current" name="current" type="password" required autocomplete="current-password" data-testid="password-current" {...fieldAria("password-current", errors().current, false)} />
        </Field>
        <Field id="password-next" label="New password" hint={`${PASSWORD_RULE} A long phrase is easiest to remember.`} error={errors().next}>
          <input id="password-next" name="next" type="password" required minlength="10" maxlength="1024" autocomplete="new-password" data-testid="password-next" {...fieldAria("password-next", errors().next)} />
        </Field>
        <Field id="password-repeat" label="New password again" error={errors().repeat}>
          <input id="password-repeat" name="repeat" type="password" required autocomplete="new-password" data-testid="password-repeat" {...fieldAria("password-repeat", errors().repeat, false)} />
        </Field>
        <ActionError error={change.error()} testId="password-error" />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={change.pending()} data-testid="password-submit">
            {change.pending() ? "Changing…" : "Change password"}
          </button>
          <Saved when={done()} testId="password-changed">
            Password changed. Your other sessions were signed out; this one stays signed in.
          </Saved>
        </div>
      </form>
      <TwoFactor />
      <Sessions onSignedOut={props.onSignedOut} />
    </>
  );
}
