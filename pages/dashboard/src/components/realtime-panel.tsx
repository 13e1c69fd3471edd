import { createSignal, onCleanup, Show } from "solid-js";
import { api } from "../api/client";
import { localDateTimeIn } from "../dates";
import { formatNumber, plural } from "../format";
import { createLive } from "../live";
import { readRows, readTotals, recentQuery, type Scope } from "../stats";
import { BarList } from "./bar-list";
import { LiveState } from "./panel";

export const REALTIME_MS = 5_000;

/** Who is on the site right now, refreshed every few seconds in place. */
export function RealtimePanel(props: { scope: Omit<Scope, "range">; timezone: string }) {
  const [tick, setTick] = createSignal(0);
  const timer = setInterval(() => document.visibilityState === "visible" && setTick((count) => count + 1), REALTIME_MS);
  onCleanup(() => clearInterval(timer));

  // Its three queries go in the overview's batch (api/batch.ts): no requests of their own to queue up.
  const live = createLive(() => JSON.stringify(props.scope), tick, async (signal) => {
    const now = localDateTimeIn(props.timezone);
    const one = (minutes: number, page?: "event:page") => api.query(recentQuery(props.scope, now, minutes, page), signal);
    const [last5, last30, pages] = await Promise.all([one(5), one(30), one(5, "event:page")]);
    return { last5: readTotals(last5, 1)[0]!, last30: readTotals(last30, 1)[0]!, pages: readRows(pages) };
  });

  return (
    <section class="card panel realtime" aria-labelledby="realtime-title" data-testid="realtime">
      <div class="panel-head">
        <h2 id="realtime-title">
          <span class="live-dot" aria-hidden="true" /> Right now
        </h2>
      </div>
      <LiveState live={live} onRetry={() => setTick((count) => count + 1)}>
        {(data) => (
          <>
            <p class="realtime-counts" aria-live="polite">
              <span>
                <strong data-testid="realtime-5">{formatNumber(data().last5)}</strong>{" "}
                {plural(data().last5, "visitor", "visitors")} in the last 5 minutes
              </span>
              <span>
                <strong data-testid="realtime-30">{formatNumber(data().last30)}</strong> in the last 30 minutes
              </span>
            </p>
            <Show when={data().pages.length > 0}>
              <BarList column="Pages, last 5 min" dimension="event:page" metrics={["visitors"]} rows={data().pages} valueTestId="current-page-path" />
            </Show>
          </>
        )}
      </LiveState>
    </section>
  );
}
