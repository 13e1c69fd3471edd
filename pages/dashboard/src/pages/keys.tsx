import type { Site, User } from "../api/types";
import { PageFrame } from "../components/page-frame";

export function KeysPage(props: { sites: Site[]; user: User; search: string; onSitesChanged: () => void; onLogout: () => void }) {
  return (
    <PageFrame sites={props.sites} user={props.user} place="keys" title="API keys" onLogout={props.onLogout}>
      <p>Not built yet.</p>
    </PageFrame>
  );
}
