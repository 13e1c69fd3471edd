import { For, Show } from "solid-js";
import type { DateRangeKey, Site, User } from "../api/types";
import { RANGES } from "../routes";
import { Link } from "./link";
import { Logo } from "./logo";

export function SiteHeader(props: {
  site: Site;
  sites: Site[];
  range: DateRangeKey;
  user: User;
  onSiteChange: (siteId: string) => void;
  onRangeChange: (range: DateRangeKey) => void;
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
          <label class="field">
            <span>Date range</span>
            <select
              data-testid="range-select"
              onChange={(event) => props.onRangeChange(event.currentTarget.value as DateRangeKey)}
            >
              <For each={RANGES}>
                {(range) => (
                  <option value={range.key} selected={range.key === props.range}>
                    {range.label}
                  </option>
                )}
              </For>
            </select>
          </label>
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
