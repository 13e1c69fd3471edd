import { createResource, createSignal, For, Show } from "solid-js";
import type { Site, SiteRole, User } from "../api/types";
import { createAction } from "./action";
import { type Account, adminApi, type NewAccount } from "./api";
import { SITE_ROLES } from "./roles";
import { PASSWORD_RULE } from "./password";
import { ActionError, ConfirmButton, Field, fieldAria, Loading, Saved } from "./ui";

/** Accounts of this Pixel, for global admins: the API refuses everyone else too. */
export function Users(props: { user: User; sites: Site[] }) {
  const [accounts, { refetch, mutate }] = createResource(adminApi.accounts);
  const replace = (account: Account) => mutate((accounts.latest ?? []).map((entry) => (entry.id === account.id ? account : entry)));
  const create = createAction(async (account: NewAccount, form: HTMLFormElement) => {
    const created = await adminApi.createAccount(account);
    mutate([...(accounts.latest ?? []), created].sort((a, b) => a.email.localeCompare(b.email)));
    form.reset();
  });

  function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const field = (name: string) => String(data.get(name) ?? "");
    void create.run(
      { email: field("email").trim(), name: field("name").trim(), password: field("password"), role: field("role") === "admin" ? "admin" : "user" },
      event.currentTarget,
    );
  }

  return (
    <>
      <RequireTwoFactor />
      <section class="card admin-form" aria-labelledby="users-title" data-testid="users">
        <h3 id="users-title">Accounts</h3>
        <Show when={accounts.latest} fallback={<Loading error={accounts.error} onRetry={refetch} />}>
          {(list) => (
            <ul class="admin-list accounts">
              <For each={list()}>
                {(account) => (
                  <AccountRow
                    account={account}
                    self={account.id === props.user.id}
                    sites={props.sites}
                    onChanged={replace}
                    onDeleted={() => mutate(list().filter((entry) => entry.id !== account.id))}
                  />
                )}
              </For>
            </ul>
          )}
        </Show>
      </section>
      <form class="card admin-form" onSubmit={submit} aria-labelledby="new-user-title" aria-busy={create.pending()} data-testid="user-form">
        <h3 id="new-user-title">Create an account</h3>
        <div class="form-row">
          <Field id="user-email" label="E-mail">
            <input id="user-email" name="email" type="email" required autocomplete="off" data-testid="user-email" {...fieldAria("user-email", undefined, false)} />
          </Field>
          <Field id="user-name" label="Name (optional)">
            <input id="user-name" name="name" maxlength="200" autocomplete="off" data-testid="user-name" {...fieldAria("user-name", undefined, false)} />
          </Field>
        </div>
        <div class="form-row">
          <Field id="user-password" label="Password" hint={`${PASSWORD_RULE} Share it with them safely; they can change it under Account.`}>
            <input id="user-password" name="password" type="password" required minlength="10" maxlength="1024" autocomplete="new-password" data-testid="user-password" {...fieldAria("user-password", undefined)} />
          </Field>
          <Field id="user-role" label="Role" hint="Global admins see every site and manage accounts.">
            <select id="user-role" name="role" data-testid="user-role" {...fieldAria("user-role", undefined)}>
              <option value="user">User: sees the sites they are given</option>
              <option value="admin">Global admin</option>
            </select>
          </Field>
        </div>
        <ActionError error={create.error()} testId="user-error" />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={create.pending()} data-testid="create-user">
            {create.pending() ? "Creating…" : "Create account"}
          </button>
        </div>
      </form>
    </>
  );
}

function AccountRow(props: { account: Account; self: boolean; sites: Site[]; onChanged: (account: Account) => void; onDeleted: () => void }) {
  const [note, setNote] = createSignal<string>();
  const change = createAction(async (body: Parameters<typeof adminApi.updateAccount>[1], done: string) => {
    props.onChanged(await adminApi.updateAccount(props.account.id, body));
    setNote(done);
  });
  const remove = createAction(async () => {
    await adminApi.deleteAccount(props.account.id);
    props.onDeleted();
  });
  const grant = createAction(async (siteId: string, role: SiteRole) => {
    await adminApi.grant(siteId, props.account.email, role);
    const site = props.sites.find((entry) => entry.id === siteId);
    setNote(`${props.account.email} is now ${role} of ${site?.name || site?.domain || siteId}.`);
  });
  const resetTwoFactor = createAction(async () => {
    await adminApi.resetTwoFactor(props.account.id);
    props.onChanged({ ...props.account, twoFactorEnabled: false });
    setNote(`${props.account.email} signs in without their old authenticator now${props.account.twoFactorRequired ? " and sets up a new one" : ""}.`);
  });
  const lastLogin = () => (props.account.lastLoginAt ? new Date(props.account.lastLoginAt).toLocaleString() : "never");

  return (
    <li class="account" data-testid="user-row" data-email={props.account.email}>
      <div class="account-head">
        <span class="admin-list-main">
          <strong data-testid="user-row-email">
            {props.account.email}
            {props.self ? " (you)" : ""}
          </strong>
          <span class="muted">
            {props.account.name ? `${props.account.name} · ` : ""}last sign-in {lastLogin()}
          </span>
        </span>
        <Show when={props.account.disabled}>
          <span class="badge warning" data-testid="user-disabled">Disabled</span>
        </Show>
        <Show when={props.account.twoFactorEnabled}>
          <span class="badge" data-testid="user-two-factor">2FA</span>
        </Show>
        <label class="field">
          <span class="sr-only">Role of {props.account.email}</span>
          <select
            disabled={props.self || change.pending()}
            title={props.self ? "You can't change your own role" : undefined}
            onChange={(event) => void change.run({ role: event.currentTarget.value as User["role"] }, "Role changed.")}
            data-testid="user-row-role"
          >
            <option value="user" selected={props.account.role === "user"}>user</option>
            <option value="admin" selected={props.account.role === "admin"}>global admin</option>
          </select>
        </label>
        <Show when={!props.self}>
          <button
            type="button"
            class="button"
            disabled={change.pending()}
            onClick={() => void change.run({ disabled: !props.account.disabled }, props.account.disabled ? "Enabled." : "Disabled: their sessions and API keys stopped working.")}
            data-testid="toggle-user"
          >
            {props.account.disabled ? "Enable" : "Disable"}
          </button>
          <ConfirmButton label="Delete" confirmLabel={`Delete ${props.account.email}`} disabled={remove.pending()} onConfirm={() => void remove.run()} testId="delete-user" />
        </Show>
      </div>
      <div class="account-tools">
        <details>
          <summary>Two-factor sign-in</summary>
          <div class="inline-form">
            <label class="choice">
              <input
                type="checkbox"
                checked={props.account.twoFactorRequired}
                disabled={change.pending()}
                onChange={(event) => void change.run({ twoFactorRequired: event.currentTarget.checked }, event.currentTarget.checked ? "Two-factor sign-in is required from their next sign-in." : "Two-factor sign-in is up to them again.")}
                data-testid="require-two-factor"
              />
              Require it for {props.account.email}
            </label>
            <Show when={props.account.twoFactorEnabled && !props.self}>
              <ConfirmButton label="Reset authenticator" confirmLabel={`Reset ${props.account.email}'s authenticator`} disabled={resetTwoFactor.pending()} onConfirm={() => void resetTwoFactor.run()} testId="reset-two-factor" />
            </Show>
          </div>
        </details>
        <details>
          <summary>Reset password</summary>
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              const input = event.currentTarget.elements.namedItem("password") as HTMLInputElement;
              void change.run({ password: input.value }, "Password reset: their other sessions ended.").then((ok) => ok && (input.value = ""));
            }}
          >
            <Field id={`reset-${props.account.id}`} label={`New password for ${props.account.email}`} hint={PASSWORD_RULE}>
              <input id={`reset-${props.account.id}`} name="password" type="password" required minlength="10" maxlength="1024" autocomplete="new-password" data-testid="reset-password" {...fieldAria(`reset-${props.account.id}`, undefined)} />
            </Field>
            <button type="submit" class="button" disabled={change.pending()} data-testid="reset-password-submit">
              Set password
            </button>
          </form>
        </details>
        <details>
          <summary>Give site access</summary>
          <Show when={props.sites.length} fallback={<p class="muted">No sites yet.</p>}>
            <form
              class="inline-form"
              onSubmit={(event) => {
                event.preventDefault();
                const data = new FormData(event.currentTarget);
                void grant.run(String(data.get("site")), String(data.get("role")) as SiteRole);
              }}
            >
              <Field id={`grant-site-${props.account.id}`} label="Site">
                <select id={`grant-site-${props.account.id}`} name="site" data-testid="grant-site" {...fieldAria(`grant-site-${props.account.id}`, undefined, false)}>
                  <For each={props.sites}>{(site) => <option value={site.id}>{site.name || site.domain}</option>}</For>
                </select>
              </Field>
              <Field id={`grant-site-role-${props.account.id}`} label="Role">
                <select id={`grant-site-role-${props.account.id}`} name="role" data-testid="grant-site-role" {...fieldAria(`grant-site-role-${props.account.id}`, undefined, false)}>
                  <For each={SITE_ROLES}>{(option) => <option value={option.role}>{option.label}</option>}</For>
                </select>
              </Field>
              <button type="submit" class="button" disabled={grant.pending()} data-testid="grant-site-submit">
                Give access
              </button>
            </form>
          </Show>
        </details>
      </div>
      <ActionError error={change.error() ?? remove.error() ?? grant.error() ?? resetTwoFactor.error()} testId="user-row-error" />
      <Saved when={Boolean(note())} testId="user-row-note">{note()}</Saved>
    </li>
  );
}

/** The installation-wide rule: every account signs in with an authenticator code. */
function RequireTwoFactor() {
  const [settings, { refetch, mutate }] = createResource(adminApi.settings);
  const save = createAction(async (requireTwoFactor: boolean) => mutate(await adminApi.updateSettings({ requireTwoFactor })));
  return (
    <section class="card admin-form" aria-labelledby="require-two-factor-title" data-testid="require-two-factor-everyone">
      <h3 id="require-two-factor-title">Two-factor sign-in</h3>
      <Show when={settings.latest} fallback={<Loading error={settings.error} onRetry={refetch} />}>
        {(current) => (
          <label class="choice">
            <input
              type="checkbox"
              checked={current().requireTwoFactor}
              disabled={save.pending()}
              onChange={(event) => void save.run(event.currentTarget.checked)}
              data-testid="require-two-factor-all"
            />
            Require it for everyone: accounts without an authenticator set one up at their next sign-in.
          </label>
        )}
      </Show>
      <ActionError error={save.error()} />
    </section>
  );
}
