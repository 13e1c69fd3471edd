import { createMemo, createSignal, For, Index } from "solid-js";
import { COHORT_PERIODS, type CohortPeriod } from "@pixel/lib/cohorts";
import { retentionReport } from "../api/retention";
import { PageFrame, type SiteSectionProps } from "../components/page-frame";
import { LiveState } from "../components/panel";
import { formatNumber } from "../format";
import { createLive } from "../live";
import { parseView } from "../view";

/** A cell's shade: the share of the cohort active in that period. */
const shade = (share: number) => ({ background: `color-mix(in srgb, var(--accent) ${Math.round(share)}%, transparent)` });

/** Browsers by the period of their first visit, and the share back in each later period: the classic triangle. */
export function RetentionPage(props: SiteSectionProps) {
  const [tick, setTick] = createSignal(0);
  const [period, setPeriod] = createSignal<CohortPeriod>("week");
  const view = createMemo(() => parseView(props.search));
  const report = createLive(
    () => JSON.stringify([props.site.id, period(), view().range, view().filters]),
    tick,
    (signal) => retentionReport(props.site.id, period(), view().range, view().filters, signal),
  );
  return (
    <PageFrame site={props.site} sites={props.sites} user={props.user} place="retention" title="Retention" onLogout={props.onLogout}>
      <div class="toolbar">
        <For each={COHORT_PERIODS}>
          {(choice) => (
            <button type="button" class="button" aria-pressed={choice === period()} data-testid="retention-period" onClick={() => setPeriod(choice)}>
              By {choice}
            </button>
          )}
        </For>
      </div>
      <section class="card" data-testid="retention-report">
        <LiveState live={report} onRetry={() => setTick((count) => count + 1)}>
          {(data) => (
            <div class="table-scroll">
              <table class="retention">
                <thead>
                  <tr>
                    <th>First visit</th>
                    <th>Visitors</th>
                    <Index each={data().cohorts}>{(_, k) => <th>{k === 0 ? `${period()} 0` : `+${k}`}</th>}</Index>
                  </tr>
                </thead>
                <tbody>
                  <For each={data().cohorts}>
                    {(cohort) => (
                      <tr data-testid="retention-cohort">
                        <th scope="row">{cohort.cohort}</th>
                        <td data-testid="retention-size">{formatNumber(cohort.visitors)}</td>
                        <For each={cohort.periods}>
                          {(cell) => (
                            <td data-testid="retention-cell" style={shade(cell.share)} title={`${formatNumber(cell.visitors)} visitors`}>
                              {cell.share}%
                            </td>
                          )}
                        </For>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          )}
        </LiveState>
        <p class="retention-note">
          A browser counts from the day it first loaded pixel.js; one person on two browsers, or a cleared cache, counts as two.
        </p>
      </section>
    </PageFrame>
  );
}
