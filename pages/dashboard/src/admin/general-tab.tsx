import { createSignal, For, Show } from "solid-js";
import { ApiError } from "../api/client";
import type { Site } from "../api/types";
import { navigate } from "../router";
import { siteUrl } from "../routes";
import { createAction } from "./action";
import { adminApi, type SiteDetails } from "./api";
import { actionError } from "./errors";
import { describeLineError, fieldError, parseLines } from "./lines";
import { type GeneralForm, generalChange, generalForm } from "./site-form";
import { SnippetBox } from "./snippet-box";
import { timeZoneOptions } from "./timezones";
import { ActionError, Field, fieldAria, Saved } from "./ui";

type FieldErrors = Partial<Record<keyof GeneralForm, string>>;

export function GeneralTab(props: {
  site: SiteDetails;
  sites: Site[];
  isOwner: boolean;
  onSaved: (site: SiteDetails) => void;
  onSitesChanged: () => void;
}) {
  const [form, setForm] = createSignal(generalForm(props.site));
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [savedAt, setSavedAt] = createSignal<Date>();
  const save = createAction(async (change: Parameters<typeof adminApi.updateSite>[1]) => {
    const site = await adminApi.updateSite(props.site.id, change);
    setForm(generalForm(site));
    setSavedAt(new Date());
    props.onSaved(site);
  });
  const set = (key: keyof GeneralForm) => (event: { currentTarget: { value: string } }) => {
    setForm({ ...form(), [key]: event.currentTarget.value });
    setSavedAt(undefined);
  };
  let formElement: HTMLFormElement | undefined;

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setErrors({});
    const checked = generalChange(props.site, form());
    if (!checked.ok) return showError(checked.field as keyof GeneralForm, checked.message);
    const ok = await save.run(checked.value);
    const error = save.error();
    if (ok || !(error instanceof ApiError) || error.status !== 400) return;
    const field = fieldError(error.message);
    if (!field || !(field.field in form())) return;
    save.clear();
    const message = field.field === "hostnames" ? describeLineError(field, parseLines(form().hostnames.toLowerCase())) : actionError(error);
    showError(field.field as keyof GeneralForm, message);
  }

  function showError(field: keyof GeneralForm, message: string) {
    setErrors({ [field]: message });
    formElement?.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
  }

  const zones = () => timeZoneOptions(form().timezone);
  return (
    <>
      <form ref={formElement} class="card admin-form" onSubmit={submit} aria-labelledby="general-title" aria-busy={save.pending()} data-testid="general-form">
        <h3 id="general-title">General</h3>
        <p class="muted">
          Domain: <strong>{props.site.domain}</strong> (and its subdomains)
        </p>
        <Field id="settings-name" label="Name" error={errors().name}>
          <input id="settings-name" name="name" value={form().name} onInput={set("name")} required maxlength="200" {...fieldAria("settings-name", errors().name, false)} />
        </Field>
        <Field id="settings-timezone" label="Time zone" hint="Days, hours and date ranges of every report follow it." error={errors().timezone}>
          <select id="settings-timezone" name="timezone" onChange={set("timezone")} {...fieldAria("settings-timezone", errors().timezone)}>
            <For each={zones()}>{(zone) => <option value={zone} selected={zone === form().timezone}>{zone}</option>}</For>
          </select>
        </Field>
        <Field
          id="settings-hostnames"
          label="More hostnames"
          hint="One a line. Hits on these hostnames count for this site too, like shop.example.net."
          error={errors().hostnames}
        >
          <textarea id="settings-hostnames" name="hostnames" rows="3" value={form().hostnames} onInput={set("hostnames")} spellcheck={false} {...fieldAria("settings-hostnames", errors().hostnames)} />
        </Field>
        <div class="form-row">
          <Field id="settings-script" label="Script name" hint="The file the snippet loads, ending in .js. Keep it equal to the collector's PIXEL_SCRIPT_NAME (default pixel.js)." error={errors().scriptName}>
            <input id="settings-script" name="scriptName" value={form().scriptName} onInput={set("scriptName")} spellcheck={false} {...fieldAria("settings-script", errors().scriptName)} />
          </Field>
          <Field id="settings-endpoint" label="Endpoint name" hint="Where hits go: one path segment of letters, digits, - and _. Keep it equal to the collector's PIXEL_ENDPOINT (default e)." error={errors().endpointName}>
            <input id="settings-endpoint" name="endpointName" value={form().endpointName} onInput={set("endpointName")} spellcheck={false} {...fieldAria("settings-endpoint", errors().endpointName)} />
          </Field>
        </div>
        <ActionError error={save.error()} />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={save.pending()} data-testid="save-general">
            {save.pending() ? "Saving…" : "Save"}
          </button>
          <Saved when={Boolean(savedAt())}>Saved.</Saved>
        </div>
      </form>
      <section class="card admin-form" aria-labelledby="snippet-title">
        <h3 id="snippet-title">Tracking snippet</h3>
        <SnippetBox site={props.site} />
      </section>
      <Show when={props.isOwner}>
        <DeleteSite site={props.site} sites={props.sites} onSitesChanged={props.onSitesChanged} />
      </Show>
    </>
  );
}

function DeleteSite(props: { site: SiteDetails; sites: Site[]; onSitesChanged: () => void }) {
  const [typed, setTyped] = createSignal("");
  const remove = createAction(async () => {
    await adminApi.deleteSite(props.site.id);
    props.onSitesChanged();
    const next = props.sites.find((site) => site.id !== props.site.id);
    navigate(next ? siteUrl(next.id) : "/sites/new", { replace: true });
  });
  const matches = () => typed().trim().toLowerCase() === props.site.domain;
  return (
    <form
      class="card admin-form danger-zone"
      aria-labelledby="delete-site-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (matches()) void remove.run();
      }}
    >
      <h3 id="delete-site-title">Delete this site</h3>
      <p>
        Its events, goals, reports, members and share link go at once. This can't be undone.
      </p>
      <Field id="delete-confirm" label={`Type ${props.site.domain} to confirm`}>
        <input id="delete-confirm" value={typed()} onInput={(event) => setTyped(event.currentTarget.value)} autocomplete="off" spellcheck={false} data-testid="delete-confirm" {...fieldAria("delete-confirm", undefined, false)} />
      </Field>
      <ActionError error={remove.error()} />
      <div class="form-actions">
        <button type="submit" class="button danger" disabled={!matches() || remove.pending()} data-testid="delete-site">
          {remove.pending() ? "Deleting…" : "Delete site"}
        </button>
      </div>
    </form>
  );
}
