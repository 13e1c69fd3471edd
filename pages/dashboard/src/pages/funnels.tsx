import { createMemo, createSignal, For, Show } from "solid-js";
import { createFunnel, funnelDropOff, funnelReport, listFunnels, type FunnelStep } from "../api/funnels";
import { PageFrame, type SiteSectionProps } from "../components/page-frame";
import { LiveState } from "../components/panel";
import { formatNumber } from "../format";
import { createLive } from "../live";
import { parseView } from "../view";

/** One step a line: `/path*` is a pageview, `Name` a custom event, `Name key=value` one with that property. */
const stepOf = (line: string): FunnelStep => {
  if (line.startsWith("/")) return { kind: "page", pagePath: line };
  const [eventName = "", match] = line.split(/\s+(?=\S+=)/);
  const [name, value] = match ? [match.slice(0, match.indexOf("=")), match.slice(match.indexOf("=") + 1)] : [];
  return name ? { kind: "event", eventName, property: { name, value: value! } } : { kind: "event", eventName };
};
const stepLabel = (step: FunnelStep) =>
  step.kind === "page" ? `Visit ${step.pagePath}` : step.property ? `${step.eventName} (${step.property.name} = ${step.property.value})` : step.eventName;
const seconds = (ms: number | null) => (ms === null ? "" : `${Math.round(ms / 1000)} s`);

/** A site's funnels: define one, and see each step's visitors and drop-off as bars, in the overview's date range and filters. */
export function FunnelsPage(props: SiteSectionProps) {
  const [tick, setTick] = createSignal(0);
  const [chosen, setChosen] = createSignal<string | null>(null);
  const [error, setError] = createSignal("");
  const view = createMemo(() => parseView(props.search));
  const funnels = createLive(() => `${props.site.id}:${tick()}`, tick, (signal) => listFunnels(props.site.id, signal));
  const current = () => funnels.data()?.funnels.find((funnel) => funnel.id === chosen()) ?? funnels.data()?.funnels[0];
  const report = createLive(
    () => (current() ? JSON.stringify([props.site.id, current()!.id, view().range, view().filters]) : null),
    tick,
    (signal) => funnelReport(props.site.id, current()!.id, view().range, view().filters, signal),
  );
  /** The step (1-based) whose drop-off is open, with the funnel it belongs to. */
  const [dropped, setDropped] = createSignal<{ funnelId: string; step: number } | null>(null);
  const openDropOff = () => {
    const open = dropped();
    return open && open.funnelId === current()?.id ? open : null;
  };
  const dropOff = createLive(
    () => (openDropOff() ? JSON.stringify([props.site.id, openDropOff(), view().range, view().filters]) : null),
    tick,
    (signal) => funnelDropOff(props.site.id, openDropOff()!.funnelId, openDropOff()!.step, view().range, view().filters, signal),
  );
  const define = async (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const lines = String(form.get("steps") ?? "").split("\n").map((line) => line.trim()).filter(Boolean);
    try {
      const { funnel } = await createFunnel(props.site.id, String(form.get("name") ?? ""), lines.map(stepOf));
      setError("");
      setChosen(funnel.id);
      setTick((count) => count + 1);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <PageFrame site={props.site} sites={props.sites} user={props.user} place="funnels" title="Funnels" onLogout={props.onLogout}>
      <LiveState live={funnels} onRetry={() => setTick((count) => count + 1)}>
        {(data) => (
          <div class="toolbar">
            <For each={data().funnels}>
              {(funnel) => (
                <button type="button" class="button" aria-pressed={funnel.id === current()?.id} data-testid="funnel-choice" onClick={() => setChosen(funnel.id)}>
                  {funnel.name}
                </button>
              )}
            </For>
          </div>
        )}
      </LiveState>
      <Show when={current()}>
        <section class="card" data-testid="funnel-report">
          <LiveState live={report} onRetry={() => setTick((count) => count + 1)}>
            {(data) => (
              <>
                <p data-testid="funnel-conversion">Conversion: {data().conversion_rate}%</p>
                <ol class="funnel-bars">
                  <For each={data().steps}>
                    {(step, k) => (
                      <li data-testid="funnel-step">
                        <span>{stepLabel(current()!.steps[k()]!)}</span>{" "}
                        <span data-testid="funnel-step-visitors">{formatNumber(step.visitors)}</span> visitors ({step.conversion_rate}%){" "}
                        {seconds(step.median_ms_from_previous)}
                        <div class="bar" style={{ width: `${step.conversion_rate}%`, background: "var(--accent, #4a7)", height: "1rem" }} />
                        <Show when={step.drop_off !== null}>
                          <button
                            type="button"
                            class="link-button"
                            data-testid="funnel-step-drop-off"
                            aria-expanded={openDropOff()?.step === k() + 1}
                            onClick={() => setDropped(openDropOff()?.step === k() + 1 ? null : { funnelId: current()!.id, step: k() + 1 })}
                          >
                            {formatNumber(step.drop_off!)} dropped off
                          </button>
                          <Show when={openDropOff()?.step === k() + 1}>
                            <LiveState live={dropOff} onRetry={() => setTick((count) => count + 1)}>
                              {(next) => (
                                <div class="drop-off" data-testid="funnel-drop-off">
                                  <p>Where they went next, in the visit that reached this step:</p>
                                  <Show when={next().next_pages.length} fallback={<p class="empty">Nobody dropped off here.</p>}>
                                    <ul>
                                      <For each={next().next_pages}>
                                        {(page) => (
                                          <li data-testid="funnel-next-page">
                                            <span data-testid="funnel-next-page-path">{page.page || "(left the site)"}</span>{" "}
                                            <span data-testid="funnel-next-page-visitors">{formatNumber(page.visitors)}</span> visitors
                                          </li>
                                        )}
                                      </For>
                                    </ul>
                                  </Show>
                                </div>
                              )}
                            </LiveState>
                          </Show>
                        </Show>
                      </li>
                    )}
                  </For>
                </ol>
              </>
            )}
          </LiveState>
        </section>
      </Show>
      <form class="card" onSubmit={define} data-testid="funnel-form">
        <label class="field">
          <span>Name</span>
          <input name="name" required />
        </label>
        <label class="field">
          <span>Steps, one a line: /path (* matches any run), an event name, or "Event key=value"</span>
          <textarea name="steps" rows={4} required />
        </label>
        <button type="submit" class="button">Add funnel</button>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
      </form>
    </PageFrame>
  );
}
