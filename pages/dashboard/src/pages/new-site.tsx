import { createMemo } from "solid-js";
import type { Site, User } from "../api/types";
import { NewSite } from "../admin/new-site";
import { PageFrame } from "../components/page-frame";
import { currentLocation } from "../router";

export function NewSitePage(props: { sites: Site[]; user: User; search: string; onSitesChanged: () => void; onLogout: () => void }) {
  const createdId = createMemo(() => new URLSearchParams(currentLocation().search).get("site"));
  return (
    <PageFrame sites={props.sites} user={props.user} place="new-site" title="Add a site" onLogout={props.onLogout}>
      <NewSite firstSite={props.sites.length === 0} createdId={createdId()} onSitesChanged={props.onSitesChanged} />
    </PageFrame>
  );
}
