import type { Site, User } from "../api/types";
import { Keys } from "../admin/keys";
import { PageFrame } from "../components/page-frame";

export function KeysPage(props: { sites: Site[]; user: User; search: string; onSitesChanged: () => void; onLogout: () => void }) {
  return (
    <PageFrame sites={props.sites} user={props.user} place="keys" title="API keys" onLogout={props.onLogout}>
      <Keys sites={props.sites} />
    </PageFrame>
  );
}
