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
    expect(goalSummary({ id: "1", kind: "page", pagePath: "/pricing*", eventName: null, displayName: "Visit /pricing*" })).toBe("Pageview of /pricing*");
    expect(goalSummary({ id: "2", kind: "event", pagePath: null, eventName: "signup", displayName: "signup" })).toBe("Custom event signup");
  });
});
