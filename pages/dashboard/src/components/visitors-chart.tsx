import { Index, Show } from "solid-js";
import type { DayValue } from "../dates";
import { formatDay, formatNumber, plural } from "../format";

const SLOT = 10;

/** Visitors per day as bars; an inline SVG that stretches to its container. */
export function VisitorsChart(props: { days: DayValue[] }) {
  const count = () => props.days.length;
  const slots = () => Math.max(count(), count() === 1 ? 7 : 0);
  const offset = () => ((slots() - count()) * SLOT) / 2;
  const max = () => Math.max(1, ...props.days.map((entry) => entry.value));
  const total = () => props.days.reduce((sum, entry) => sum + entry.value, 0);
  const gap = () => (count() > 60 ? 1 : 2);
  const first = () => props.days[0];
  const last = () => props.days.at(-1);
  const summary = () =>
    `${formatNumber(total())} ${plural(total(), "visitor", "visitors")} from ${formatDay(first()?.day ?? "")} to ${formatDay(last()?.day ?? "")}`;

  return (
    <Show when={total() > 0} fallback={<p class="empty">No visitors in this period yet.</p>}>
      <figure class="chart">
        <div class="chart-plot">
          <span class="chart-max" aria-hidden="true">
            {formatNumber(max())}
          </span>
          <svg viewBox={`0 0 ${slots() * SLOT} 100`} preserveAspectRatio="none" role="img" aria-label={summary()}>
            <line class="chart-grid" x1="0" x2={slots() * SLOT} y1="0.5" y2="0.5" />
            <line class="chart-grid" x1="0" x2={slots() * SLOT} y1="50" y2="50" />
            <Index each={props.days}>
              {(entry, index) => {
                const height = () => (entry().value === 0 ? 0 : Math.max(1.5, (entry().value / max()) * 99));
                return (
                  <rect
                    class="chart-bar"
                    x={offset() + index * SLOT + gap() / 2}
                    y={100 - height()}
                    width={SLOT - gap()}
                    height={height()}
                  >
                    <title>
                      {formatDay(entry().day, undefined, true)}: {formatNumber(entry().value)}{" "}
                      {plural(entry().value, "visitor", "visitors")}
                    </title>
                  </rect>
                );
              }}
            </Index>
          </svg>
        </div>
        <div class="chart-axis" aria-hidden="true" classList={{ single: count() === 1 }}>
          <span>{formatDay(first()?.day ?? "")}</span>
          <Show when={count() > 1}>
            <span>{formatDay(last()?.day ?? "")}</span>
          </Show>
        </div>
        <figcaption class="sr-only">{summary()}</figcaption>
      </figure>
    </Show>
  );
}
