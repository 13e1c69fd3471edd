import { createSignal, For } from "solid-js";
import { ApiError } from "../api/client";
import { createAction } from "./action";
import { adminApi, type Shields, type SiteDetails } from "./api";
import { describeLineError, fieldError } from "./lines";
import { SHIELD_FIELDS, type ShieldField, shieldsForm, shieldsFrom } from "./site-form";
import { ActionError, Field, fieldAria, Saved } from "./ui";

const FIELDS: Record<ShieldField, { label: string; hint: string; placeholder: string }> = {
  ipRanges: { label: "IP addresses and ranges", hint: "IPv4 or IPv6 addresses or CIDR ranges, like 203.0.113.0/24.", placeholder: "203.0.113.0/24" },
  countries: { label: "Countries", hint: "Two-letter ISO codes, like DE.", placeholder: "DE" },
  paths: { label: "Paths", hint: "Start with /; * matches any characters, like /admin/*.", placeholder: "/admin/*" },
  hostnames: { label: "Hostnames", hint: "Hosts of the site whose hits don't count, like staging.shop.example.com.", placeholder: "staging.example.com" },
};

/** Hits the collector drops for this site; one entry a line, at most 500 a list. */
export function ShieldsTab(props: { site: SiteDetails; onSaved: (site: SiteDetails) => void }) {
  const [form, setForm] = createSignal(shieldsForm(props.site.shields));
  const [errors, setErrors] = createSignal<Partial<Record<ShieldField, string>>>({});
  const [saved, setSaved] = createSignal(false);
  const save = createAction(async (shields: Shields) => {
    const site = await adminApi.updateSite(props.site.id, { shields });
    setForm(shieldsForm(site.shields));
    setSaved(true);
    props.onSaved(site);
  });
  let formElement: HTMLFormElement | undefined;

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setErrors({});
    setSaved(false);
    const shields = shieldsFrom(form());
    const tooLong = SHIELD_FIELDS.find((field) => shields[field].length > 500);
    if (tooLong) return show(tooLong, `${shields[tooLong].length} entries; a list holds at most 500.`);
    const ok = await save.run(shields);
    const error = save.error();
    if (ok || !(error instanceof ApiError) || error.status !== 400) return;
    const field = fieldError(error.message);
    const name = field?.field.replace(/^shields\./, "") as ShieldField | undefined;
    if (!field || !name || !SHIELD_FIELDS.includes(name)) return;
    save.clear();
    show(name, describeLineError(field, shields[name]));
  }

  function show(field: ShieldField, message: string) {
    setErrors({ [field]: message });
    formElement?.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
  }

  return (
    <form ref={formElement} class="card admin-form" onSubmit={submit} aria-labelledby="shields-title" aria-busy={save.pending()} data-testid="shields-form">
      <h3 id="shields-title">Shields</h3>
      <p class="muted">
        The collector drops these hits for the site and counts them as shield drops (see Dropped hits). A change reaches
        the collector within a minute.
      </p>
      <div class="shield-grid">
        <For each={SHIELD_FIELDS}>
          {(field) => (
            <Field id={`shield-${field}`} label={FIELDS[field].label} hint={`${FIELDS[field].hint} One a line.`} error={errors()[field]}>
              <textarea
                id={`shield-${field}`}
                name={field}
                rows="4"
                spellcheck={false}
                placeholder={FIELDS[field].placeholder}
                value={form()[field]}
                onInput={(event) => {
                  setForm({ ...form(), [field]: event.currentTarget.value });
                  setSaved(false);
                }}
                data-testid={`shield-${field}`}
                {...fieldAria(`shield-${field}`, errors()[field])}
              />
            </Field>
          )}
        </For>
      </div>
      <ActionError error={save.error()} />
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={save.pending()} data-testid="save-shields">
          {save.pending() ? "Saving…" : "Save shields"}
        </button>
        <Saved when={saved()}>Saved. The collector applies them within a minute.</Saved>
      </div>
    </form>
  );
}
