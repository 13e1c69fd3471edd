import { createResource, For, type JSX, lazy, Match, Show, Switch } from "solid-js";
import type { Site, User } from "../api/types";
import { Link } from "../components/link";
import { siteSectionUrl } from "../routes";
import { todayIn } from "../dates";
import { AnnotationsTab } from "./annotations-tab";
import { adminApi, type SiteDetails } from "./api";
import { GeneralTab } from "./general-tab";
import { GoalsTab } from "./goals-tab";
import { MembersTab } from "./members-tab";
import { ShareTab } from "./share-tab";
import { ShieldsTab } from "./shields-tab";
import { Loading } from "./ui";

// Few open it, so it loads on demand.
const EmailTab = lazy(() => import("./email-tab").then((m) => ({ default: m.EmailTab })));
const DataTab = lazy(() => import("./data-tab"));
const ImportTab = lazy(() => import("./import-tab"));

const TABS = [
  { id: "general", label: "General" },
  { id: "goals", label: "Goals" },
  { id: "annotations", label: "Annotations" },
  { id: "shields", label: "Shields" },
  { id: "share", label: "Share link" },
  { id: "email", label: "E-mails", viewer: true },
  { id: "data", label: "Data" },
  { id: "import", label: "Import" },
  { id: "members", label: "Members", owner: true },
] as const;

export function SiteSettings(props: { site: Site; sites: Site[]; user: User; tab: string | undefined; onSitesChanged: () => void }) {
  const [details, { refetch, mutate }] = createResource(() => props.site.id, adminApi.site);
  const isOwner = () => props.site.role === "owner";
  const tabs = () => TABS.filter((tab) => (!("owner" in tab) || isOwner()) && ("viewer" in tab || props.site.role !== "viewer"));
  const current = () => props.tab ?? "general";
  const saved = (site: SiteDetails) => {
    const listed = site.name !== details()?.name || site.timezone !== details()?.timezone;
    mutate(site);
    if (listed) props.onSitesChanged();
  };

  return (
    <div class="settings">
      <nav class="settings-tabs" aria-label="Settings sections">
        <For each={tabs()}>
          {(tab) => (
            <Link
              href={siteSectionUrl(props.site.id, "settings", tab.id === "general" ? [] : [tab.id])}
              aria-current={current() === tab.id ? "page" : undefined}
              data-testid={`settings-tab-${tab.id}`}
            >
              {tab.label}
            </Link>
          )}
        </For>
      </nav>
      <Show when={details.state === "ready" ? details() : undefined} fallback={<Loading error={details.error} onRetry={refetch} />}>
        {(site) => (
          <Switch fallback={<UnknownTab siteId={props.site.id} />}>
            <Match when={current() === "general"}>
              <GeneralTab site={site()} sites={props.sites} isOwner={isOwner()} onSaved={saved} onSitesChanged={props.onSitesChanged} />
            </Match>
            <Match when={current() === "goals"}>
              <GoalsTab siteId={site().id} />
            </Match>
            <Match when={current() === "annotations"}>
              <AnnotationsTab siteId={site().id} today={todayIn(site().timezone)} />
            </Match>
            <Match when={current() === "shields"}>
              <ShieldsTab site={site()} onSaved={saved} />
            </Match>
            <Match when={current() === "share"}>
              <ShareTab site={site()} onChanged={saved} />
            </Match>
            <Match when={current() === "email"}>
              <EmailTab siteId={site().id} timezone={site().timezone} />
            </Match>
            <Match when={current() === "data"}>
              <DataTab site={site()} isOwner={isOwner()} onSaved={saved} />
            </Match>
            <Match when={current() === "import"}>
              <ImportTab siteId={site().id} />
            </Match>
            <Match when={current() === "members" && isOwner()}>
              <MembersTab siteId={site().id} user={props.user} />
            </Match>
          </Switch>
        )}
      </Show>
    </div>
  );
}

function UnknownTab(props: { siteId: string }): JSX.Element {
  return (
    <section class="card admin-empty" data-testid="no-such-tab">
      <h3>No such settings section</h3>
      <p>
        It doesn't exist, or only the site's owners see it. <Link href={siteSectionUrl(props.siteId, "settings")}>Open the general settings</Link>
      </p>
    </section>
  );
}
