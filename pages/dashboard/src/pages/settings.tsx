import { Show } from "solid-js";
import { canAdminister } from "../api/types";
import { SiteSettings } from "../admin/settings";
import { NoAccess } from "../admin/ui";
import { PageFrame, type SiteSectionProps } from "../components/page-frame";

export function SettingsPage(props: SiteSectionProps) {
  return (
    <PageFrame site={props.site} sites={props.sites} user={props.user} place="settings" title="Settings" onLogout={props.onLogout}>
      <Show
        when={canAdminister(props.site, props.user) || props.rest[0] === "email"}
        fallback={<NoAccess what="As a viewer of this site you can read its stats and reports, and choose your own e-mails under Settings → E-mails, but not change its settings." />}
      >
        <SiteSettings site={props.site} sites={props.sites} user={props.user} tab={props.rest[0]} onSitesChanged={props.onSitesChanged} />
      </Show>
    </PageFrame>
  );
}
