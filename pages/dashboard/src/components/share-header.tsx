import type { Site } from "../api/types";
import { ThemeToggle } from "./theme-toggle";
import { Logo } from "./logo";

/** The header of a shared dashboard: the site and the theme, nothing that needs an account. */
export function ShareHeader(props: { site: Pick<Site, "name" | "domain"> }) {
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <span class="brand">
          <Logo />
        </span>
        <div class="site-title">
          <h1 data-testid="site-name">{props.site.name || props.site.domain}</h1>
          <span class="domain">{props.site.domain}</span>
        </div>
        <div class="controls">
          <span class="share-badge" data-testid="share-badge">
            Shared dashboard · read-only
          </span>
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
