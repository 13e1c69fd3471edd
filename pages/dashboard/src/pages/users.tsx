import type { Site, User } from "../api/types";
import { PageFrame } from "../components/page-frame";

export function UsersPage(props: { sites: Site[]; user: User; search: string; onSitesChanged: () => void; onLogout: () => void }) {
  return (
    <PageFrame sites={props.sites} user={props.user} place="users" title="Users" onLogout={props.onLogout}>
      <p>Not built yet.</p>
    </PageFrame>
  );
}
