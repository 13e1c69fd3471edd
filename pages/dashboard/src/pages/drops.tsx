import type { Site, User } from "../api/types";
import { PageFrame } from "../components/page-frame";

export function DropsPage(props: {
  site: Site;
  sites: Site[];
  user: User;
  rest: string[];
  search: string;
  onSitesChanged: () => void;
  onLogout: () => void;
}) {
  return (
    <PageFrame site={props.site} sites={props.sites} user={props.user} place="drops" title="Dropped hits" onLogout={props.onLogout}>
      <p>Not built yet.</p>
    </PageFrame>
  );
}
