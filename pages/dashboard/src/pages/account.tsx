import type { Site, User } from "../api/types";
import { Account } from "../admin/account";
import { PageFrame } from "../components/page-frame";

export function AccountPage(props: { sites: Site[]; user: User; search: string; onSitesChanged: () => void; onLogout: () => void }) {
  return (
    <PageFrame sites={props.sites} user={props.user} place="account" title="Your account" onLogout={props.onLogout}>
      <Account user={props.user} onSignedOut={props.onLogout} />
    </PageFrame>
  );
}
