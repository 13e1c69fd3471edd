import { createResource, For, Show } from "solid-js";
import type { SiteRole } from "../api/types";
import { createAction } from "./action";
import { adminApi } from "./api";
import { SITE_ROLES } from "./roles";
import { ActionError, ConfirmButton, Field, fieldAria, Loading } from "./ui";

/** Invitations by e-mail for people without an account: the form, and those not yet accepted. */
export function InvitationsPanel(props: { siteId: string }) {
  const [pending, { refetch, mutate }] = createResource(() => props.siteId, adminApi.invitations);
  const invite = createAction(async (email: string, role: SiteRole, form: HTMLFormElement) => {
    const invitation = await adminApi.invite(props.siteId, email, role);
    mutate([...(pending() ?? []).filter((entry) => entry.email !== invitation.email), invitation]);
    form.reset();
  });
  const revoke = createAction(async (invitationId: string) => {
    await adminApi.revokeInvitation(props.siteId, invitationId);
    mutate((pending() ?? []).filter((entry) => entry.id !== invitationId));
  });

  function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void invite.run(String(data.get("email") ?? "").trim(), String(data.get("role")) as SiteRole, event.currentTarget);
  }

  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="invite-title" aria-busy={invite.pending()} data-testid="invite-form">
      <h3 id="invite-title">Invite by e-mail</h3>
      <div class="form-row">
        <Field id="invite-email" label="E-mail address" hint="They get a link, valid for 7 days, to set a password.">
          <input id="invite-email" name="email" type="email" required autocomplete="off" data-testid="invite-email" {...fieldAria("invite-email", undefined)} />
        </Field>
        <Field id="invite-role" label="Role">
          <select id="invite-role" name="role" data-testid="invite-role" {...fieldAria("invite-role", undefined, false)}>
            <For each={SITE_ROLES}>{(option) => <option value={option.role}>{option.label}</option>}</For>
          </select>
        </Field>
      </div>
      <ActionError error={invite.error() ?? revoke.error()} testId="invite-error" />
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={invite.pending()} data-testid="invite-submit">
          Send invitation
        </button>
      </div>
      <Show when={pending.latest} fallback={<Loading error={pending.error} onRetry={refetch} />}>
        {(list) => (
          <Show when={list().length}>
            <h4>Waiting to be accepted</h4>
            <ul class="admin-list">
              <For each={list()}>
                {(invitation) => (
                  <li data-testid="invitation-row">
                    <span class="admin-list-main">
                      <strong>{invitation.email}</strong>
                      <span class="muted">
                        {invitation.role}, until {new Date(invitation.expiresAt).toLocaleDateString()}
                      </span>
                    </span>
                    <ConfirmButton
                      label="Revoke"
                      confirmLabel={`Revoke the invitation of ${invitation.email}`}
                      disabled={revoke.pending()}
                      onConfirm={() => void revoke.run(invitation.id)}
                      testId="revoke-invitation"
                    />
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </form>
  );
}
