import { CURRENCY_CODE, CURRENCY_RULE } from "@pixel/lib/events/currency";
import type { Goal, NewGoal } from "./api";
import type { Checked } from "./site-form";

/** Offered in the goal form's currency field; any other ISO 4217 code can be typed. */
export const COMMON_CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK", "INR", "BRL"];

/** The body for POST …/goals from the form's fields, or why the API would refuse it. `currency` makes a revenue goal. */
export function goalFrom(kind: NewGoal["kind"], target: string, displayName: string, currency = ""): Checked<NewGoal> {
  const value = target.trim();
  const name = displayName.trim();
  const extra = name ? { displayName: name } : {};
  if (kind === "event") {
    if (!value) return { ok: false, field: "target", message: "Enter the event's name, as your pages send it." };
    if (value.length > 120) return { ok: false, field: "target", message: "Event names have at most 120 characters." };
    const code = currency.trim().toUpperCase();
    if (code && !CURRENCY_CODE.test(code)) return { ok: false, field: "currency", message: `The currency ${CURRENCY_RULE}.` };
    return { ok: true, value: { kind, eventName: value, ...extra, ...(code && { currency: code }) } };
  }
  const path = value.startsWith("/") ? value : `/${value}`;
  if (path === "/" && !value) return { ok: false, field: "target", message: "Enter a page path, like /pricing or /blog/*." };
  return { ok: true, value: { kind, pagePath: path, ...extra } };
}

export function goalSummary(goal: Goal): string {
  if (goal.kind === "page") return `Pageview of ${goal.pagePath ?? ""}`;
  return `Custom event ${goal.eventName ?? ""}${goal.currency ? `, revenue in ${goal.currency}` : ""}`;
}
