import { describe, expect, it } from "vitest";
import { goalFrom, goalSummary } from "./goal-form";

describe("goalFrom", () => {
  it("builds event and page goals, with a display name only when given", () => {
    expect(goalFrom("event", " signup ", "")).toEqual({ ok: true, value: { kind: "event", eventName: "signup" } });
    expect(goalFrom("page", "/pricing*", " Pricing ")).toEqual({
      ok: true,
      value: { kind: "page", pagePath: "/pricing*", displayName: "Pricing" },
    });
  });

  it("makes a revenue goal with a currency, upper-cased, checked by the API's own ISO 4217 rule", () => {
    expect(goalFrom("event", "purchase", "", " eur ")).toEqual({ ok: true, value: { kind: "event", eventName: "purchase", currency: "EUR" } });
    expect(goalFrom("event", "purchase", "", "euro")).toEqual({
      ok: false,
      field: "currency",
      message: "The currency must be an ISO 4217 code, three capital letters (EUR, USD).",
    });
    expect(goalFrom("page", "/thanks", "", "EUR")).toEqual({ ok: true, value: { kind: "page", pagePath: "/thanks" } });
  });

  it("adds the leading slash a path needs", () => {
    expect(goalFrom("page", "blog/*", "")).toEqual({ ok: true, value: { kind: "page", pagePath: "/blog/*" } });
  });

  it("refuses what the API would refuse", () => {
    expect(goalFrom("event", "  ", "")).toMatchObject({ ok: false, field: "target" });
    expect(goalFrom("page", "", "")).toMatchObject({ ok: false, field: "target" });
    expect(goalFrom("event", "x".repeat(121), "")).toMatchObject({ ok: false, field: "target" });
  });
});

describe("goalSummary", () => {
  it("says what the goal counts", () => {
    expect(goalSummary({ id: "1", kind: "page", pagePath: "/pricing*", eventName: null, displayName: "Visit /pricing*", currency: null })).toBe("Pageview of /pricing*");
    expect(goalSummary({ id: "2", kind: "event", pagePath: null, eventName: "signup", displayName: "signup", currency: null })).toBe("Custom event signup");
    expect(goalSummary({ id: "3", kind: "event", pagePath: null, eventName: "purchase", displayName: "Purchase", currency: "EUR" })).toBe(
      "Custom event purchase, revenue in EUR",
    );
  });
});
