import { For, Show } from "solid-js";
import { canAdminister, type Site, type User } from "../api/types";
import { navigate } from "../router";
import { type AccountPage, type SiteSection, siteSectionUrl, siteUrl } from "../routes";
import { ThemeToggle } from "./theme-toggle";
import { Link } from "./link";
import { Logo } from "./logo";

/** Where the person is: the overview, a section of the site, or one of their account pages. */
export type Place = "overview" | SiteSection | AccountPage | "new-site" | "home";

export function SiteHeader(props: {
  site?: Site;
  sites: Site[];
  user: User;
  place: Place;
  onSiteChange?: (siteId: string) => void;
  onLogout: () => void;
}) {
  const onSiteChange = (siteId: string) =>
    props.onSiteChange ? props.onSiteChange(siteId) : navigate(siteUrl(siteId));
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <Link href="/" class="brand" aria-label="Pixel home">
          <Logo />
        </Link>
        <Show
          when={props.site}
          fallback={
            <div class="site-title">
              <h1 data-testid="page-name">{ACCOUNT_TITLES[props.place as AccountPage | "new-site" | "home"] ?? "Pixel"}</h1>
            </div>
          }
        >
          {(site) => (
            <div class="site-title">
              <h1 data-testid="site-name">{site().name || site().domain}</h1>
              <a class="domain" href={`https://${site().domain}`} target="_blank" rel="noopener noreferrer">
                {site().domain}
              </a>
            </div>
          )}
        </Show>
        <div class="controls">
          <Show when={props.site && props.sites.length > 1}>
            <label class="field">
              <span>Site</span>
              <select data-testid="site-select" onChange={(event) => onSiteChange(event.currentTarget.value)}>
                <For each={props.sites}>
                  {(site) => (
                    <option value={site.id} selected={site.id === props.site?.id}>
                      {site.name || site.domain}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </Show>
          <ThemeToggle />
          <button
            type="button"
            class="button"
            data-testid="logout"
            title={`Signed in as ${props.user.email}`}
            onClick={() => props.onLogout()}
          >
            Sign out
          </button>
        </div>
      </div>
      <nav class="topnav" aria-label="Pages">
        <Show when={props.site}>
          {(site) => (
            <>
              <NavLink href={siteUrl(site().id)} current={props.place === "overview"} testId="nav-overview">
                Overview
              </NavLink>
              <NavLink href={siteSectionUrl(site().id, "reports")} current={props.place === "reports"} testId="nav-reports">
                Reports
              </NavLink>
              <NavLink href={siteSectionUrl(site().id, "funnels")} current={props.place === "funnels"} testId="nav-funnels">
                Funnels
              </NavLink>
              <NavLink href={siteSectionUrl(site().id, "retention")} current={props.place === "retention"} testId="nav-retention">
                Retention
              </NavLink>
              <NavLink href={siteSectionUrl(site().id, "drops")} current={props.place === "drops"} testId="nav-drops">
                Dropped hits
              </NavLink>
              <Show when={canAdminister(site(), props.user)}>
                <NavLink
                  href={siteSectionUrl(site().id, "settings")}
                  current={props.place === "settings"}
                  testId="nav-settings"
                >
                  Settings
                </NavLink>
              </Show>
            </>
          )}
        </Show>
        <span class="topnav-gap" />
        <NavLink href="/sites/new" current={props.place === "new-site"} testId="nav-new-site">
          Add a site
        </NavLink>
        <NavLink href="/keys" current={props.place === "keys"} testId="nav-keys">
          API keys
        </NavLink>
        <Show when={props.user.role === "admin"}>
          <NavLink href="/users" current={props.place === "users"} testId="nav-users">
            Users
          </NavLink>
        </Show>
        <NavLink href="/account" current={props.place === "account"} testId="nav-account">
          Account
        </NavLink>
      </nav>
    </header>
  );
}

const ACCOUNT_TITLES: Record<AccountPage | "new-site" | "home", string> = {
  home: "All sites",
  users: "Users",
  keys: "API keys",
  account: "Your account",
  "new-site": "Add a site",
};

function NavLink(props: { href: string; current: boolean; testId: string; children: string }) {
  return (
    <Link href={props.href} class="topnav-link" aria-current={props.current ? "page" : undefined} data-testid={props.testId}>
      {props.children}
    </Link>
  );
}
