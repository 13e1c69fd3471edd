import { describe, expect, it } from "vitest";
import { DEFAULT_RANGE, loginUrl, parseRange, parseRoute, safeNext, siteUrl } from "./routes";

const at = (url: string) => {
  const parsed = new URL(url, "https://dash.example");
  return parseRoute({ pathname: parsed.pathname, search: parsed.search });
};

describe("parseRoute", () => {
  it("knows home, login and not-found", () => {
    expect(at("/")).toEqual({ name: "home" });
    expect(at("/login")).toEqual({ name: "login", next: null });
    expect(at("/nope")).toEqual({ name: "not-found" });
    expect(at("/sites")).toEqual({ name: "not-found" });
    expect(at("/sites/a/b")).toEqual({ name: "not-found" });
  });

  it("reads the site and range", () => {
    expect(at("/sites/abc?range=30d")).toEqual({ name: "site", siteId: "abc", range: "30d" });
    expect(at("/sites/abc/")).toEqual({ name: "site", siteId: "abc", range: DEFAULT_RANGE });
  });

  it("falls back to the default range for a missing or unknown one", () => {
    expect(at("/sites/abc?range=forever")).toMatchObject({ range: DEFAULT_RANGE });
    expect(parseRange(null)).toBe(DEFAULT_RANGE);
    expect(parseRange("all")).toBe("all");
  });

  it("keeps a same-origin next path on login", () => {
    expect(at("/login?next=%2Fsites%2Fabc%3Frange%3Dall")).toEqual({ name: "login", next: "/sites/abc?range=all" });
    expect(at("/login?next=https%3A%2F%2Fevil.example")).toEqual({ name: "login", next: null });
  });

  it("rejects malformed site ids", () => {
    expect(at("/sites/%E0%A4%A")).toEqual({ name: "not-found" });
  });
});

describe("URLs round-trip", () => {
  it("site URLs", () => {
    for (const range of ["day", "7d", "30d", "month", "all"] as const) {
      for (const siteId of ["abc", "a b/c?d"]) {
        expect(at(siteUrl(siteId, range))).toEqual({ name: "site", siteId, range });
      }
    }
    expect(siteUrl("abc")).toBe(`/sites/abc?range=${DEFAULT_RANGE}`);
  });

  it("login URLs", () => {
    expect(loginUrl()).toBe("/login");
    expect(loginUrl("/")).toBe("/login");
    expect(at(loginUrl("/sites/x?range=day"))).toEqual({ name: "login", next: "/sites/x?range=day" });
  });
});

describe("safeNext", () => {
  it("only allows paths on this origin", () => {
    expect(safeNext("/sites/a")).toBe("/sites/a");
    expect(safeNext("//evil.example")).toBeNull();
    expect(safeNext("/\\evil.example")).toBeNull();
    expect(safeNext("javascript:alert(1)")).toBeNull();
    expect(safeNext("/login?next=/x")).toBeNull();
    expect(safeNext("")).toBeNull();
  });
});
