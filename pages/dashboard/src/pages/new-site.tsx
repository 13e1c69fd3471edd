import type { Site, User } from "../api/types";
import { PageFrame } from "../components/page-frame";

export function NewSitePage(props: { sites: Site[]; user: User; search: string; onSitesChanged: () => void; onLogout: () => void }) {
  return (
    <PageFrame sites={props.sites} user={props.user} place="new-site" title="Add a site" onLogout={props.onLogout}>
      <p>Not built yet.</p>
    </PageFrame>
  );
}
