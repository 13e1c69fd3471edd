import { createResource, For, Show } from "solid-js";
import type { SiteRole, User } from "../api/types";
import { createAction } from "./action";
import { adminApi, type Member } from "./api";
import { InvitationsPanel } from "./invitations";
import { SITE_ROLES } from "./roles";
import { ActionError, ConfirmButton, Field, fieldAria, Loading } from "./ui";

/** Who may see the site, for its owners. Accounts themselves are made by global admins (Users). */
export function MembersTab(props: { siteId: string; user: User }) {
  const [members, { refetch, mutate }] = createResource(() => props.siteId, adminApi.members);
  const upsert = (member: Member) => {
    const list = members() ?? [];
    const known = list.some((entry) => entry.userId === member.userId);
    mutate(known ? list.map((entry) => (entry.userId === member.userId ? member : entry)) : [...list, member]);
  };
  const grant = createAction(async (email: string, role: SiteRole, form?: HTMLFormElement) => {
    upsert(await adminApi.grant(props.siteId, email, role));
    form?.reset();
  });
  const changeRole = createAction(async (member: Member, role: SiteRole, select: HTMLSelectElement) => {
    try {
      upsert(await adminApi.grant(props.siteId, member.email, role));
    } catch (error) {
      select.value = member.role;
      throw error;
    }
  });
  const remove = createAction(async (member: Member) => {
    await adminApi.removeMember(props.siteId, member.userId);
    mutate((members() ?? []).filter((entry) => entry.userId !== member.userId));
  });

  function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void grant.run(String(data.get("email") ?? "").trim(), String(data.get("role")) as SiteRole, event.currentTarget);
  }

  return (
    <>
      <section class="card admin-form" aria-labelledby="members-title" data-testid="members">
        <h3 id="members-title">Members</h3>
        <Show when={members.latest} fallback={<Loading error={members.error} onRetry={refetch} />}>
          {(list) => (
            <ul class="admin-list">
              <For each={list()}>
                {(member) => (
                  <li data-testid="member-row">
                    <span class="admin-list-main">
                      <strong>{member.name || member.email}</strong>
                      <span class="muted">
                        {member.email}
                        {member.userId === props.user.id ? " (you)" : ""}
                      </span>
                    </span>
                    <label class="field">
                      <span class="sr-only">Role of {member.email}</span>
                      <select
                        disabled={changeRole.pending()}
                        onChange={(event) => void changeRole.run(member, event.currentTarget.value as SiteRole, event.currentTarget)}
                        data-testid="member-role"
                      >
                        <For each={SITE_ROLES}>{(option) => <option value={option.role} selected={option.role === member.role}>{option.role}</option>}</For>
                      </select>
                    </label>
                    <ConfirmButton label="Remove" confirmLabel={`Remove ${member.email}`} disabled={remove.pending()} onConfirm={() => void remove.run(member)} testId="remove-member" />
                  </li>
                )}
              </For>
            </ul>
          )}
        </Show>
        <ActionError error={changeRole.error() ?? remove.error()} testId="members-error" />
      </section>
      <form class="card admin-form" onSubmit={submit} aria-labelledby="grant-title" aria-busy={grant.pending()} data-testid="grant-form">
        <h3 id="grant-title">Give someone access</h3>
        <div class="form-row">
          <Field id="grant-email" label="E-mail of their Pixel account" hint="No account yet? Invite them by e-mail below.">
            <input id="grant-email" name="email" type="email" required autocomplete="off" data-testid="grant-email" {...fieldAria("grant-email", undefined)} />
          </Field>
          <Field id="grant-role" label="Role">
            <select id="grant-role" name="role" data-testid="grant-role" {...fieldAria("grant-role", undefined, false)}>
              <For each={SITE_ROLES}>{(option) => <option value={option.role}>{option.label}</option>}</For>
            </select>
          </Field>
        </div>
        <ActionError error={grant.error()} testId="grant-error" />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={grant.pending()} data-testid="grant-submit">
            Give access
          </button>
        </div>
      </form>
      <InvitationsPanel siteId={props.siteId} />
    </>
  );
}
