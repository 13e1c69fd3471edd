import { createMemo, createSignal, For, Show } from "solid-js";
import { droppedHits, type DropsSummary } from "../api/drops";
import type { DateRange } from "../api/types";
import { RANGES } from "../components/date-controls";
import { PageFrame, type SiteSectionProps } from "../components/page-frame";
import { LiveState } from "../components/panel";
import { csvFileName, toCsv } from "../csv";
import { isDay, todayIn } from "../dates";
import { detailLabel, dropsBounds, reasonInfo } from "../drops";
import { formatNumber } from "../format";
import { createLive } from "../live";
import { navigate } from "../router";
import { siteSectionUrl } from "../routes";
import { DEFAULT_VIEW, parseView, viewSearch } from "../view";

/** What the collector refused for this site, per reason and per day, with what each reason means. */
export function DropsPage(props: SiteSectionProps) {
  const [tick, setTick] = createSignal(0);
  const range = createMemo(() => parseView(props.search).range);
  const bounds = createMemo(() => dropsBounds(range(), todayIn("UTC")));
  const live = createLive(
    () => JSON.stringify([props.site.id, bounds()]),
    tick,
    (signal) => droppedHits(props.site.id, bounds().from, bounds().to, signal),
  );
  const setRange = (next: DateRange) => {
    const search = viewSearch({ ...DEFAULT_VIEW, range: next });
    navigate(siteSectionUrl(props.site.id, "drops", [], search));
  };

  return (
    <PageFrame site={props.site} sites={props.sites} user={props.user} place="drops" title="Dropped hits" onLogout={props.onLogout}>
      <p class="lead">
        Hits the collector did not count for {props.site.domain}, and why. Days are UTC days; nothing here counts as a
        visit.
      </p>
      <RangePicker range={range()} onRange={setRange} />
      <section class="card drops" aria-busy={live.loading()} data-testid="drops">
        <LiveState live={live} onRetry={() => setTick((count) => count + 1)}>
          {(data) => <DropsReport data={data()} domain={props.site.domain} />}
        </LiveState>
      </section>
    </PageFrame>
  );
}

function RangePicker(props: { range: DateRange; onRange: (range: DateRange) => void }) {
  const custom = () => (Array.isArray(props.range) ? props.range : null);
  const [editing, setEditing] = createSignal(false);
  const apply = (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = String(form.get("from") ?? "");
    const to = String(form.get("to") ?? "");
    if (isDay(from) && isDay(to) && from <= to) {
      setEditing(false);
      props.onRange([from, to]);
    }
  };
  return (
    <div class="toolbar">
      <label class="field">
        <span>Date range</span>
        <select
          data-testid="drops-range"
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (value === "custom") setEditing(true);
            else props.onRange(value as DateRange);
          }}
        >
          <For each={RANGES}>
            {(entry) => (
              <option value={entry.key} selected={props.range === entry.key}>
                {entry.label}
              </option>
            )}
          </For>
          <option value="custom" selected={!!custom()}>
            Custom…
          </option>
        </select>
      </label>
      <Show when={editing() || custom()}>
        <form class="custom-range" onSubmit={apply}>
          <label class="field">
            <span>From</span>
            <input type="date" name="from" value={custom()?.[0] ?? ""} required />
          </label>
          <label class="field">
            <span>To</span>
            <input type="date" name="to" value={custom()?.[1] ?? ""} required />
          </label>
          <button type="submit" class="button">
            Apply
          </button>
        </form>
      </Show>
    </div>
  );
}

function DropsReport(props: { data: DropsSummary; domain: string }) {
  const reasons = () => props.data.reasons;
  const maxDay = () => Math.max(1, ...props.data.days.map((day) => day.total));
  const exportCsv = () => {
    const names = reasons().map((entry) => entry.reason);
    const csv = toCsv(["Day", "Total", ...names], props.data.days.map((day) => [day.day, day.total, ...names.map((name) => day.reasons[name] ?? 0)]));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    link.download = csvFileName(props.domain, "dropped-hits", props.data.from, props.data.to);
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  };
  return (
    <>
      <p class="drops-total">
        <strong data-testid="drops-total">{props.data.total.toLocaleString("en-US")}</strong> hits dropped from {props.data.from} to {props.data.to}
      </p>
      <h3>By reason</h3>
      <table class="bar-list drops-reasons">
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col" class="num">
              Hits
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={reasons()}>
            {(entry) => (
              <tr data-testid="drops-reason" data-reason={entry.reason}>
                <td>
                  <strong>{reasonInfo(entry.reason).label}</strong> <code class="reason-code">{entry.reason}</code>
                  <p class="reason-explanation">{reasonInfo(entry.reason).explanation}</p>
                  <Show when={entry.details.length > 0}>
                    <ul class="reason-details">
                      <For each={entry.details}>
                        {(detail) => (
                          <li>
                            {detailLabel(detail.detail)}: {formatNumber(detail.hits)}
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </td>
                <td class="num" data-testid="drops-reason-hits">
                  {entry.hits.toLocaleString("en-US")}
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="panel-head">
        <h3>By day</h3>
        <button type="button" class="button" onClick={exportCsv} data-testid="drops-export">
          Export CSV
        </button>
      </div>
      <Show when={reasons().some((entry) => entry.hits > 0)} fallback={<p class="empty">Nothing was dropped in this period.</p>}>
        <div class="table-scroll">
          <table class="bar-list drops-days">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" class="num">
                  Total
                </th>
                <For each={reasons()}>
                  {(entry) => (
                    <th scope="col" class="num">
                      {reasonInfo(entry.reason).label}
                    </th>
                  )}
                </For>
              </tr>
            </thead>
            <tbody>
              <For each={[...props.data.days].reverse()}>
                {(day) => (
                  <tr data-testid="drops-day" data-day={day.day}>
                    <td class="value" style={{ "--share": `${(day.total / maxDay()) * 100}%` }}>
                      <span class="label">{day.day}</span>
                    </td>
                    <td class="num" data-testid="drops-day-total">
                      {day.total.toLocaleString("en-US")}
                    </td>
                    <For each={reasons()}>{(entry) => <td class="num">{(day.reasons[entry.reason] ?? 0).toLocaleString("en-US")}</td>}</For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </>
  );
}
