import type { Message } from "./mime";

/**
 * Every message Pixel sends is rendered here: plain text plus simple HTML with the same words and links, no images
 * and no tracking of any kind. Links are absolute, on the dashboard's origin.
 */
interface Draft {
  to: string;
  subject: string;
  /** Paragraphs of plain words; each becomes a line of text and a <p>. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small tables of label, value rows, each under its title. */
  tables?: { title: string; rows: [string, string][] }[];
  footer?: string[];
  unsubscribeUrl?: string;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);

function render(draft: Draft): Message {
  const footer = [...(draft.footer ?? []), ...(draft.unsubscribeUrl ? [`Stop these e-mails: ${draft.unsubscribeUrl}`] : [])];
  const text = [
    ...draft.paragraphs,
    ...(draft.action ? [`${draft.action.label}: ${draft.action.url}`] : []),
    ...(draft.tables ?? []).map(({ title, rows }) => [title, ...rows.map(([label, value]) => `  ${label}: ${value}`)].join("\n")),
    ...(footer.length ? ["--", ...footer] : []),
  ].join("\n\n");
  const html = [
    `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#222">`,
    ...draft.paragraphs.map((paragraph) => `<p>${escape(paragraph)}</p>`),
    ...(draft.action ? [`<p><a href="${escape(draft.action.url)}">${escape(draft.action.label)}</a></p>`] : []),
    ...(draft.tables ?? []).map(
      ({ title, rows }) =>
        `<h3>${escape(title)}</h3><table>${rows.map(([label, value]) => `<tr><td>${escape(label)}</td><td style="padding-left:1em">${escape(value)}</td></tr>`).join("")}</table>`,
    ),
    ...(draft.footer ?? []).map((line) => `<p style="color:#666;font-size:small">${escape(line)}</p>`),
    ...(draft.unsubscribeUrl ? [`<p style="color:#666;font-size:small"><a href="${escape(draft.unsubscribeUrl)}">Stop these e-mails</a></p>`] : []),
    `</body></html>`,
  ].join("\n");
  return { to: draft.to, subject: draft.subject, text, html, unsubscribeUrl: draft.unsubscribeUrl };
}

export const passwordResetMessage = (to: string, link: string, validMinutes: number) =>
  render({
    to,
    subject: "Reset your Pixel password",
    paragraphs: [
      "Someone asked to reset the password of your Pixel account. If it was you, choose a new password here.",
      `The link works once, for ${validMinutes} minutes. Setting a new password signs you out everywhere.`,
    ],
    action: { label: "Choose a new password", url: link },
    footer: ["If you did not ask for this, ignore this e-mail: your password stays as it is."],
  });

export const invitationMessage = (to: string, input: { siteName: string; role: string; invitedBy: string; link: string; validDays: number }) =>
  render({
    to,
    subject: `You are invited to ${input.siteName} on Pixel`,
    paragraphs: [
      `${input.invitedBy} invited you to see the analytics of ${input.siteName} as ${input.role === "admin" ? "an" : "a"} ${input.role}.`,
      `The link works once, for ${input.validDays} days.`,
    ],
    action: { label: "Accept the invitation", url: input.link },
    footer: ["If you don't know why you got this, ignore it: nothing happens unless you follow the link."],
  });

export interface ReportContent {
  siteName: string;
  frequency: "weekly" | "monthly";
  range: [string, string];
  totals: [string, string][];
  sources: [string, string][];
  pages: [string, string][];
  dashboardUrl: string;
  unsubscribeUrl: string;
}

export const reportMessage = (to: string, report: ReportContent) =>
  render({
    to,
    subject: `${report.siteName}: ${report.frequency} report, ${report.range[0]} to ${report.range[1]}`,
    paragraphs: [`Your ${report.frequency} Pixel report of ${report.siteName}, ${report.range[0]} to ${report.range[1]}, compared with the period before.`],
    tables: [
      { title: "Totals", rows: report.totals },
      { title: "Top sources (visitors)", rows: report.sources.length ? report.sources : [["No visits", "-"]] },
      { title: "Top pages (visitors)", rows: report.pages.length ? report.pages : [["No pageviews", "-"]] },
    ],
    action: { label: "Open the dashboard", url: report.dashboardUrl },
    footer: [`You get this because you asked for ${report.frequency} reports of ${report.siteName}.`],
    unsubscribeUrl: report.unsubscribeUrl,
  });

export type AlertKind = "spike" | "drop";

export interface AlertContent {
  siteName: string;
  kind: AlertKind;
  /** What happened, in one sentence. */
  summary: string;
  dashboardUrl: string;
  unsubscribeUrl: string;
}

export const alertSubject = (alert: Pick<AlertContent, "siteName" | "kind">) =>
  `${alert.siteName}: traffic ${alert.kind === "spike" ? "spike" : "drop"}`;

export const alertMessage = (to: string, alert: AlertContent) =>
  render({
    to,
    subject: alertSubject(alert),
    paragraphs: [alert.summary],
    action: { label: "See it live", url: alert.dashboardUrl },
    footer: ["Pixel sends this alert again only after its cool-down."],
    unsubscribeUrl: alert.unsubscribeUrl,
  });
