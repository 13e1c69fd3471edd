import { Show } from "solid-js";
import { formatNumber, fullNumber } from "../format";
import type { Live } from "../live";
import type { Totals } from "../stats";
import { ErrorText } from "./message";

export function StatCards(props: { totals: Live<Totals>; onRetry: () => void }) {
  const totals = () => props.totals.data();
  return (
    <section class="stats-section" aria-label="Totals" aria-busy={props.totals.loading()}>
      <dl class="stats">
        <StatCard label="Visitors" testId="stat-visitors" value={totals()?.visitors} failed={!!props.totals.error()} />
        <StatCard label="Pageviews" testId="stat-pageviews" value={totals()?.pageviews} failed={!!props.totals.error()} />
      </dl>
      <Show when={!totals() && props.totals.error()}>
        <div class="card">
          <ErrorText error={props.totals.error()} onRetry={props.onRetry} />
        </div>
      </Show>
    </section>
  );
}

function StatCard(props: { label: string; testId: string; value: number | undefined; failed: boolean }) {
  return (
    <div class="card stat">
      <dt>{props.label}</dt>
      <dd>
        <Show
          when={props.value !== undefined}
          fallback={props.failed ? <span class="stat-missing">—</span> : <span class="skeleton skeleton-text" aria-label="Loading" />}
        >
          <span data-testid={props.testId} title={fullNumber(props.value ?? 0)}>
            {formatNumber(props.value ?? 0)}
          </span>
        </Show>
      </dd>
    </div>
  );
}
