import { Show } from "solid-js";
import type { Site, User } from "../api/types";
import { NoAccess } from "../admin/ui";
import { Users } from "../admin/users";
import { PageFrame } from "../components/page-frame";

export function UsersPage(props: { sites: Site[]; user: User; search: string; onSitesChanged: () => void; onLogout: () => void }) {
  return (
    <PageFrame sites={props.sites} user={props.user} place="users" title="Users" onLogout={props.onLogout}>
      <Show when={props.user.role === "admin"} fallback={<NoAccess what="Only global admins manage the accounts of this Pixel." />}>
        <Users user={props.user} sites={props.sites} />
      </Show>
    </PageFrame>
  );
}
