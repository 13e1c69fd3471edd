import { Show } from "solid-js";
import { canAdminister } from "../api/types";
import { PageFrame, type SiteSectionProps } from "../components/page-frame";
import { ReportList } from "../reports/report-list";
import { ReportView } from "../reports/report-view";

export function ReportsPage(props: SiteSectionProps) {
  const canEdit = () => canAdminister(props.site, props.user);
  return (
    <PageFrame site={props.site} sites={props.sites} user={props.user} place="reports" title="Reports" onLogout={props.onLogout}>
      <Show when={props.rest[0]} keyed fallback={<ReportList site={props.site} canEdit={canEdit()} />}>
        {(reportId) => <ReportView site={props.site} user={props.user} reportId={reportId} canEdit={canEdit()} />}
      </Show>
    </PageFrame>
  );
}
