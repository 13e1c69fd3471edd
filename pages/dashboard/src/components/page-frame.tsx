import type { JSX } from "solid-js";
import type { Site, User } from "../api/types";
import { type Place, SiteHeader } from "./site-header";

/** The header and main column shared by every signed-in page except the overview, which lays out its own. */
export function PageFrame(props: {
  site?: Site;
  sites: Site[];
  user: User;
  place: Place;
  title: string;
  onLogout: () => void;
  children: JSX.Element;
}) {
  return (
    <>
      <SiteHeader site={props.site} sites={props.sites} user={props.user} place={props.place} onLogout={props.onLogout} />
      <main class="page" aria-labelledby="page-title">
        <h2 id="page-title">{props.title}</h2>
        {props.children}
      </main>
    </>
  );
}

/** What the app gives every page under /sites/:siteId/ besides the overview. */
export interface SiteSectionProps {
  site: Site;
  sites: Site[];
  user: User;
  /** Path segments after the section, e.g. a report id. */
  rest: string[];
  search: string;
  onSitesChanged: () => void;
  onLogout: () => void;
}
