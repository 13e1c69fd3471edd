import { createResource, createSignal, For, Show } from "solid-js";
import { createAction } from "./action";
import { adminApi, type AlertSettings, type EmailSettings, type ReportFrequency } from "./api";
import { ActionError, Field, Loading, Saved } from "./ui";

const FREQUENCIES: { id: ReportFrequency; label: string }[] = [
  { id: "weekly", label: "Weekly, on Mondays" },
  { id: "monthly", label: "Monthly, on the 1st" },
];

/** Your own e-mails about this site: reports and traffic alerts. Each member chooses theirs. */
export function EmailTab(props: { siteId: string; timezone: string }) {
  const [settings, { refetch, mutate }] = createResource(() => props.siteId, adminApi.emailSettings);
  const [saved, setSaved] = createSignal<"reports" | "alerts">();
  const update = (change: Partial<EmailSettings>) => mutate({ ...settings()!, ...change });

  const saveReports = createAction(async (frequencies: ReportFrequency[]) => {
    update({ reports: await adminApi.setReports(props.siteId, frequencies) });
    setSaved("reports");
  });
  const saveAlerts = createAction(async (alerts: Partial<AlertSettings>) => {
    update({ alerts: await adminApi.setAlerts(props.siteId, alerts) });
    setSaved("alerts");
  });
  const stopAlerts = createAction(async () => {
    await adminApi.deleteAlerts(props.siteId);
    update({ alerts: null });
  });

  function submitReports(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    void saveReports.run(new FormData(event.currentTarget).getAll("frequency") as ReportFrequency[]);
  }
  function submitAlerts(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const number = (name: string) => (String(form.get(name) ?? "").trim() ? Number(form.get(name)) : null);
    const webhookUrl = String(form.get("webhookUrl") ?? "").trim() || null;
    void saveAlerts.run({ spikeVisitors: number("spikeVisitors"), dropPercent: number("dropPercent"), cooldownMinutes: number("cooldownMinutes") ?? 240, webhookUrl });
  }

  return (
    <Show when={settings.latest} fallback={<Loading error={settings.error} onRetry={refetch} />}>
      {(current) => (
        <>
          <form class="card admin-form" onSubmit={submitReports} aria-labelledby="reports-title" data-testid="email-reports-form">
            <h3 id="reports-title">E-mail reports</h3>
            <p class="muted">Visitors, pageviews, bounce rate and visit duration with their change, top sources and pages, sent at 08:00 ({props.timezone}).</p>
            <For each={FREQUENCIES}>
              {(option) => (
                <label class="choice">
                  <input type="checkbox" name="frequency" value={option.id} checked={current().reports.frequencies.includes(option.id)} data-testid={`report-${option.id}`} />
                  {option.label}
                </label>
              )}
            </For>
            <ActionError error={saveReports.error()} testId="reports-error" />
            <div class="form-actions">
              <button type="submit" class="button primary" disabled={saveReports.pending()} data-testid="save-reports">
                Save reports
              </button>
              <Saved when={saved() === "reports"} testId="reports-saved">Saved.</Saved>
            </div>
          </form>
          <form class="card admin-form" onSubmit={submitAlerts} aria-labelledby="alerts-title" data-testid="email-alerts-form">
            <h3 id="alerts-title">Traffic alerts</h3>
            <div class="form-row">
              <Field id="alert-spike" label="Spike: more visitors than this in 5 minutes">
                <input id="alert-spike" name="spikeVisitors" type="number" min="1" value={current().alerts?.spikeVisitors ?? ""} data-testid="alert-spike" />
              </Field>
              <Field id="alert-drop" label="Drop: last hour under this % of the same hour last week">
                <input id="alert-drop" name="dropPercent" type="number" min="1" max="99" value={current().alerts?.dropPercent ?? ""} data-testid="alert-drop" />
              </Field>
            </div>
            <div class="form-row">
              <Field id="alert-cooldown" label="Cool-down (minutes)">
                <input id="alert-cooldown" name="cooldownMinutes" type="number" min="15" max="10080" value={current().alerts?.cooldownMinutes ?? 240} data-testid="alert-cooldown" />
              </Field>
              <Field id="alert-webhook" label="Webhook (optional)" hint="https:// — Slack and similar get the alert too.">
                <input id="alert-webhook" name="webhookUrl" type="url" value={current().alerts?.webhookUrl ?? ""} data-testid="alert-webhook" />
              </Field>
            </div>
            <ActionError error={saveAlerts.error() ?? stopAlerts.error()} testId="alerts-error" />
            <div class="form-actions">
              <button type="submit" class="button primary" disabled={saveAlerts.pending()} data-testid="save-alerts">
                Save alerts
              </button>
              <Show when={current().alerts}>
                <button type="button" class="button" disabled={stopAlerts.pending()} onClick={() => void stopAlerts.run()} data-testid="stop-alerts">
                  Turn alerts off
                </button>
              </Show>
              <Saved when={saved() === "alerts"} testId="alerts-saved">Saved.</Saved>
            </div>
          </form>
        </>
      )}
    </Show>
  );
}
