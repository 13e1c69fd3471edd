import type { Goal, NewGoal } from "./api";
import type { Checked } from "./site-form";

/** The body for POST …/goals from the form's fields, or why the API would refuse it. */
export function goalFrom(kind: NewGoal["kind"], target: string, displayName: string): Checked<NewGoal> {
  const value = target.trim();
  const name = displayName.trim();
  const extra = name ? { displayName: name } : {};
  if (kind === "event") {
    if (!value) return { ok: false, field: "target", message: "Enter the event's name, as your pages send it." };
    if (value.length > 120) return { ok: false, field: "target", message: "Event names have at most 120 characters." };
    return { ok: true, value: { kind, eventName: value, ...extra } };
  }
  const path = value.startsWith("/") ? value : `/${value}`;
  if (path === "/" && !value) return { ok: false, field: "target", message: "Enter a page path, like /pricing or /blog/*." };
  return { ok: true, value: { kind, pagePath: path, ...extra } };
}

export function goalSummary(goal: Goal): string {
  return goal.kind === "event" ? `Custom event ${goal.eventName ?? ""}` : `Pageview of ${goal.pagePath ?? ""}`;
}
