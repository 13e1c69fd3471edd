import { createMemo, createSignal, For, Index, Show } from "solid-js";
import { COHORT_PERIODS, type CohortPeriod, type CohortUnit } from "@pixel/lib/cohorts";
import { retentionReport } from "../api/retention";
import { PageFrame, type SiteSectionProps } from "../components/page-frame";
import { LiveState } from "../components/panel";
import { formatNumber } from "../format";
import { createLive } from "../live";
import { navigate } from "../router";
import { siteSectionUrl } from "../routes";
import { parseView } from "../view";

/** A cell's shade: the share of the cohort active in that period. */
const shade = (share: number) => ({ background: `color-mix(in srgb, var(--accent) ${Math.round(share)}%, transparent)` });

/** The switch's choices; `?unit=user` keeps the second in the URL. */
const UNITS: { unit: CohortUnit; label: string; members: string }[] = [
  { unit: "browser", label: "Browsers", members: "Visitors" },
  { unit: "user", label: "Signed-in users", members: "Users" },
];

const unitOf = (search: string): CohortUnit => (new URLSearchParams(search).get("unit") === "user" ? "user" : "browser");

/** Browsers (or the site's signed-in users) by the period they were first seen, and the share back in each later period: the classic triangle. */
export function RetentionPage(props: SiteSectionProps) {
  const [tick, setTick] = createSignal(0);
  const [period, setPeriod] = createSignal<CohortPeriod>("week");
  const view = createMemo(() => parseView(props.search));
  const unit = createMemo(() => unitOf(props.search));
  const setUnit = (choice: CohortUnit) => {
    const search = new URLSearchParams(props.search);
    if (choice === "user") search.set("unit", choice);
    else search.delete("unit");
    navigate(siteSectionUrl(props.site.id, "retention", [], search.toString()));
  };
  const report = createLive(
    () => JSON.stringify([props.site.id, period(), unit(), view().range, view().filters]),
    tick,
    (signal) => retentionReport(props.site.id, { period: period(), unit: unit() }, view().range, view().filters, signal),
  );
  return (
    <PageFrame site={props.site} sites={props.sites} user={props.user} place="retention" title="Retention" onLogout={props.onLogout}>
      <div class="toolbar">
        <For each={UNITS}>
          {(choice) => (
            <button type="button" class="button" aria-pressed={choice.unit === unit()} data-testid="retention-unit" onClick={() => setUnit(choice.unit)}>
              {choice.label}
            </button>
          )}
        </For>
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
            <Show when={data().unit === "browser" || data().cohorts.some((cohort) => cohort.visitors > 0)} fallback={<NoUsers />}>
              <div class="table-scroll">
                <table class="retention">
                  <thead>
                    <tr>
                      <th>{data().unit === "user" ? "First seen" : "First visit"}</th>
                      <th>{UNITS.find((choice) => choice.unit === data().unit)!.members}</th>
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
                              <td data-testid="retention-cell" style={shade(cell.share)} title={`${formatNumber(cell.visitors)} ${data().unit === "user" ? "users" : "visitors"}`}>
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
            </Show>
          )}
        </LiveState>
        <p class="retention-note">
          {unit() === "user"
            ? "A signed-in user counts from the first event that carried their user_id, on any browser or device."
            : "A browser counts from the day it first loaded pixel.js; one person on two browsers, or a cleared cache, counts as two."}
        </p>
      </section>
    </PageFrame>
  );
}

/** User cohorts with nobody in them: how a site sets its user ids. */
function NoUsers() {
  return (
    <p class="empty" data-testid="retention-no-users">
      No signed-in users were first seen in this range. Give pixel.js your own opaque id for a signed-in person with{" "}
      <code>_pixel.push(["setUserId", id])</code> on every page (docs/tracker.md); never an e-mail address or phone number.
    </p>
  );
}
