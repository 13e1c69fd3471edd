import { createResource, createSignal, For, Show } from "solid-js";
import type { Site } from "../api/types";
import { createAction } from "./action";
import { adminApi, type ApiKey } from "./api";
import { ActionError, ConfirmButton, CopyButton, Field, fieldAria, Loading } from "./ui";

/** The signed-in person's read-only stats API keys. */
export function Keys(props: { sites: Site[] }) {
  const [keys, { refetch, mutate }] = createResource(adminApi.keys);
  const [secret, setSecret] = createSignal<{ name: string; token: string }>();
  const [formError, setFormError] = createSignal<string>();
  const create = createAction(async (name: string, siteIds: string[], form: HTMLFormElement) => {
    const { key, token } = await adminApi.createKey(name, siteIds);
    mutate([...(keys.latest ?? []), key]);
    setSecret({ name: key.name, token });
    form.reset();
    queueMicrotask(() => document.getElementById("key-secret")?.focus());
  });
  const revoke = createAction(async (key: ApiKey) => {
    await adminApi.deleteKey(key.id);
    mutate((keys.latest ?? []).filter((entry) => entry.id !== key.id));
  });
  const siteName = (siteId: string) => {
    const site = props.sites.find((entry) => entry.id === siteId);
    return site ? site.name || site.domain : "a site you can't see any more";
  };

  function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const siteIds = data.getAll("siteIds").map(String);
    setFormError(siteIds.length ? undefined : "Pick at least one site the key may read.");
    if (!siteIds.length) return event.currentTarget.querySelector<HTMLInputElement>('[name="siteIds"]')?.focus();
    void create.run(String(data.get("name") ?? "").trim(), siteIds, event.currentTarget);
  }

  let secretInput: HTMLInputElement | undefined;
  return (
    <>
      <Show when={secret()}>
        {(made) => (
          <section class="card callout key-secret" aria-labelledby="secret-title" data-testid="key-secret-box">
            <h3 id="secret-title">Your new key “{made().name}”</h3>
            <p>Copy it now: it is shown only once. Send it as <code>Authorization: Bearer …</code> to <code>/api/v2/query</code>.</p>
            <div class="copy-row">
              <label for="key-secret" class="sr-only">
                The new API key
              </label>
              <input ref={secretInput} id="key-secret" readonly value={made().token} data-testid="key-secret" onFocus={(event) => event.currentTarget.select()} />
              <CopyButton text={made().token} target={() => secretInput} testId="copy-key" />
            </div>
            <button type="button" class="link-button" onClick={() => setSecret(undefined)}>
              I've copied it; hide it
            </button>
          </section>
        )}
      </Show>
      <section class="card admin-form" aria-labelledby="keys-title" data-testid="keys">
        <h3 id="keys-title">Your API keys</h3>
        <p class="muted">A key reads stats of the sites it names (while you can still read them), and nothing else.</p>
        <Show when={keys.latest} fallback={<Loading error={keys.error} onRetry={refetch} />}>
          {(list) => (
            <Show when={list().length} fallback={<p class="empty" data-testid="keys-empty">No API keys yet.</p>}>
              <ul class="admin-list">
                <For each={list()}>
                  {(key) => (
                    <li data-testid="key-row">
                      <span class="admin-list-main">
                        <strong data-testid="key-name">{key.name}</strong>
                        <span class="muted">
                          <code>{key.prefix}…</code> · {key.siteIds.map(siteName).join(", ")} · made {new Date(key.createdAt).toLocaleDateString()}
                        </span>
                      </span>
                      <ConfirmButton label="Revoke" confirmLabel={`Revoke ${key.name}`} disabled={revoke.pending()} onConfirm={() => void revoke.run(key)} testId="revoke-key" />
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
        <ActionError error={revoke.error()} />
      </section>
      <form class="card admin-form" onSubmit={submit} aria-labelledby="new-key-title" aria-busy={create.pending()} data-testid="key-form">
        <h3 id="new-key-title">Create a key</h3>
        <Field id="key-name" label="Name" hint="What it is for, like “Grafana” or “weekly export”.">
          <input id="key-name" name="name" required maxlength="200" autocomplete="off" data-testid="key-name-input" {...fieldAria("key-name", undefined)} />
        </Field>
        <fieldset class="choice" aria-describedby={formError() ? "key-sites-error" : undefined}>
          <legend>Sites it may read</legend>
          <Show when={props.sites.length} fallback={<p class="muted">You can't see any site yet.</p>}>
            <For each={props.sites}>
              {(site) => (
                <label>
                  <input type="checkbox" name="siteIds" value={site.id} checked={props.sites.length === 1} data-testid="key-site" />
                  {site.name || site.domain}
                </label>
              )}
            </For>
          </Show>
          <Show when={formError()}>
            <span class="field-error" role="alert" id="key-sites-error">
              {formError()}
            </span>
          </Show>
        </fieldset>
        <ActionError error={create.error()} testId="key-error" />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={create.pending() || !props.sites.length} data-testid="create-key">
            {create.pending() ? "Creating…" : "Create key"}
          </button>
        </div>
      </form>
    </>
  );
}
