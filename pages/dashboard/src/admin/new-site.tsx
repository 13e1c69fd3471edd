import { createResource, createSignal, For, onMount, Show } from "solid-js";
import { ApiError } from "../api/client";
import { Link } from "../components/link";
import { navigate } from "../router";
import { siteSectionUrl, siteUrl } from "../routes";
import { createAction } from "./action";
import { adminApi, type SiteDetails } from "./api";
import { actionError } from "./errors";
import { InstallCheck } from "./install-check";
import { fieldError } from "./lines";
import { SnippetBox } from "./snippet-box";
import { browserTimeZone, timeZoneOptions } from "./timezones";
import { Field, fieldAria, Loading } from "./ui";

/** The created site's id lives in the URL, so a reload keeps the snippet and the install check. */
export function NewSite(props: { firstSite: boolean; createdId: string | null; onSitesChanged: () => void }) {
  return (
    <Show when={props.createdId} fallback={<NewSiteForm firstSite={props.firstSite} onSitesChanged={props.onSitesChanged} />}>
      {(id) => <Installing siteId={id()} />}
    </Show>
  );
}

function NewSiteForm(props: { firstSite: boolean; onSitesChanged: () => void }) {
  const zone = browserTimeZone();
  const zones = timeZoneOptions(zone);
  const [domainError, setDomainError] = createSignal<string>();
  const create = createAction(async (domain: string, name: string, timezone: string) => {
    const site = await adminApi.createSite({ domain, timezone, ...(name ? { name } : {}) });
    props.onSitesChanged();
    navigate(`/sites/new?site=${encodeURIComponent(site.id)}`);
  });
  let domainInput: HTMLInputElement | undefined;
  onMount(() => domainInput?.focus());

  async function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const domain = String(form.get("domain") ?? "").trim();
    setDomainError(undefined);
    const ok = await create.run(domain, String(form.get("name") ?? "").trim(), String(form.get("timezone") ?? zone));
    const error = create.error();
    if (!ok && error instanceof ApiError && (error.status === 400 || error.status === 409) && fieldError(error.message)?.field === "domain") {
      setDomainError(actionError(error));
      create.clear();
      domainInput?.focus();
    }
  }

  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="new-site-title" aria-busy={create.pending()} data-testid="new-site-form">
      <h3 id="new-site-title">{props.firstSite ? "Add your first site" : "Add a site"}</h3>
      <p class="muted">
        {props.firstSite ? "Welcome to Pixel. " : ""}Tell Pixel which website to count; you'll get its tracking snippet next.
      </p>
      <Field id="site-domain" label="Domain" hint="Without https:// or a path, like shop.example.com. Its subdomains count too." error={domainError()}>
        <input
          ref={domainInput}
          id="site-domain"
          name="domain"
          required
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          placeholder="shop.example.com"
          data-testid="site-domain"
          {...fieldAria("site-domain", domainError())}
        />
      </Field>
      <Field id="site-name" label="Name (optional)" hint="Shown in the site list; the domain when empty.">
        <input id="site-name" name="name" maxlength="200" data-testid="site-name-input" {...fieldAria("site-name", undefined)} />
      </Field>
      <Field id="site-timezone" label="Time zone" hint="Days and hours in reports follow this zone.">
        <select id="site-timezone" name="timezone" data-testid="site-timezone" {...fieldAria("site-timezone", undefined)}>
          <For each={zones}>{(option) => <option value={option} selected={option === zone}>{option}</option>}</For>
        </select>
      </Field>
      <Show when={create.error()}>
        <p class="alert" role="alert" data-testid="new-site-error">
          {actionError(create.error())}
        </p>
      </Show>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={create.pending()} data-testid="create-site">
          {create.pending() ? "Adding…" : "Add site"}
        </button>
      </div>
    </form>
  );
}

function Installing(props: { siteId: string }) {
  const [site, { refetch }] = createResource(() => props.siteId, adminApi.site);
  return (
    <Show when={site.state === "ready" ? site() : undefined} fallback={<Loading error={site.error} onRetry={refetch} />}>
      {(ready) => <InstallSteps site={ready()} />}
    </Show>
  );
}

function InstallSteps(props: { site: SiteDetails }) {
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus());
  return (
    <>
      <section class="card admin-form" aria-labelledby="install-title" data-testid="install-steps">
        <h3 id="install-title" tabindex="-1" ref={heading}>
          {props.site.name || props.site.domain} is added — now install the snippet
        </h3>
        <SnippetBox site={props.site} />
        <p class="muted">
          You can find the snippet again, and change the script and endpoint names, in the site's{" "}
          <Link href={siteSectionUrl(props.site.id, "settings")}>settings</Link>.
        </p>
      </section>
      <InstallCheck siteId={props.site.id} overviewHref={siteUrl(props.site.id)} />
    </>
  );
}
