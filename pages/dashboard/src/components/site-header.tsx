import { For, Show } from "solid-js";
import type { Site, User } from "../api/types";
import { theme, toggleTheme } from "../theme";
import { Link } from "./link";
import { Logo } from "./logo";

export function SiteHeader(props: {
  site: Site;
  sites: Site[];
  user: User;
  onSiteChange: (siteId: string) => void;
  onLogout: () => void;
}) {
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <Link href="/" class="brand" aria-label="Pixel home">
          <Logo />
        </Link>
        <div class="site-title">
          <h1 data-testid="site-name">{props.site.name || props.site.domain}</h1>
          <a class="domain" href={`https://${props.site.domain}`} target="_blank" rel="noopener noreferrer">
            {props.site.domain}
          </a>
        </div>
        <div class="controls">
          <Show when={props.sites.length > 1}>
            <label class="field">
              <span>Site</span>
              <select data-testid="site-select" onChange={(event) => props.onSiteChange(event.currentTarget.value)}>
                <For each={props.sites}>
                  {(site) => (
                    <option value={site.id} selected={site.id === props.site.id}>
                      {site.name || site.domain}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </Show>
          <button
            type="button"
            class="button icon"
            data-testid="theme-toggle"
            aria-label={theme() === "dark" ? "Use the light theme" : "Use the dark theme"}
            title={theme() === "dark" ? "Use the light theme" : "Use the dark theme"}
            onClick={toggleTheme}
          >
            <span aria-hidden="true">{theme() === "dark" ? "☀" : "☾"}</span>
          </button>
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
    </header>
  );
}
