import { describe, expect, it } from "vitest";
import { loginUrl, parseRoute, safeNext, shareUrl, siteSectionUrl, siteUrl } from "./routes";
import { DEFAULT_VIEW, type View } from "./view";

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

  it("knows the signed-out pages that e-mailed links lead to, whatever follows the #", () => {
    expect(at("/forgot-password")).toEqual({ name: "public", page: "forgot-password" });
    expect(at("/reset-password#pxr_abc")).toEqual({ name: "public", page: "reset-password" });
    expect(at("/invitation/#pxi_abc")).toEqual({ name: "public", page: "invitation" });
  });

  it("reads the site and its view", () => {
    expect(at("/sites/abc?range=30d")).toEqual({ name: "site", siteId: "abc", view: { ...DEFAULT_VIEW, range: "30d" } });
    expect(at("/sites/abc/")).toEqual({ name: "site", siteId: "abc", view: DEFAULT_VIEW });
  });

  it("knows the site sections, account pages, first-run and share pages", () => {
    expect(at("/sites/new")).toEqual({ name: "new-site" });
    expect(at("/sites/abc/reports")).toEqual({ name: "site-section", siteId: "abc", section: "reports", rest: [], search: "" });
    expect(at("/sites/abc/reports/r%201?x=1")).toEqual({
      name: "site-section",
      siteId: "abc",
      section: "reports",
      rest: ["r 1"],
      search: "?x=1",
    });
    expect(at("/sites/abc/settings/goals").name).toBe("site-section");
    expect(at("/users")).toEqual({ name: "account-page", page: "users", search: "" });
    expect(at("/keys?new=1")).toEqual({ name: "account-page", page: "keys", search: "?new=1" });
    expect(at("/users/x")).toEqual({ name: "not-found" });
    expect(at("/share/tok?range=30d")).toEqual({ name: "share", token: "tok", view: { ...DEFAULT_VIEW, range: "30d" } });
    expect(at("/share")).toEqual({ name: "not-found" });
  });

  it("keeps a same-origin next path on login", () => {
    expect(at("/login?next=%2Fsites%2Fabc%3Frange%3Dall")).toEqual({ name: "login", next: "/sites/abc?range=all" });
    expect(at("/login?next=https%3A%2F%2Fevil.example")).toEqual({ name: "login", next: null });
    expect(at("/login?next=/%09/evil.example")).toEqual({ name: "login", next: null });
  });

  it("never sends anyone to another origin after signing in", () => {
    const hostile = ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example",
      "/\n/evil.example", "\t//evil.example", "javascript:alert(1)", "/%2F/evil.example/..", "//[bad", "/login?next=/x"];
    for (const next of hostile) {
      const target = safeNext(next);
      expect(target === null || new URL(target, "https://dash.example").origin === "https://dash.example", next).toBe(true);
    }
    for (const next of ["//evil.example", "/\\evil.example", "https://evil.example", "/\t/evil.example", "/\r\n/evil.example", "//[bad"]) {
      expect(safeNext(next), next).toBeNull();
    }
    expect(safeNext("/sites/a/../b?range=7d#top")).toBe("/sites/b?range=7d#top");
  });

  it("rejects malformed site ids", () => {
    expect(at("/sites/%E0%A4%A")).toEqual({ name: "not-found" });
  });
});

describe("URLs round-trip", () => {
  it("section and share URLs", () => {
    expect(at(siteSectionUrl("a/b", "reports", ["r?1"], "x=1"))).toEqual({
      name: "site-section",
      siteId: "a/b",
      section: "reports",
      rest: ["r?1"],
      search: "?x=1",
    });
    expect(at(shareUrl("t/k"))).toEqual({ name: "share", token: "t/k", view: DEFAULT_VIEW });
  });

  it("site URLs, with any site id and view", () => {
    const view: View = { ...DEFAULT_VIEW, range: ["2026-01-01", "2026-01-31"], filters: [["is", "event:page", ["/a?b=c&d"]]] };
    for (const siteId of ["abc", "a b/c?d"]) {
      expect(at(siteUrl(siteId, view))).toEqual({ name: "site", siteId, view });
      expect(at(siteUrl(siteId))).toEqual({ name: "site", siteId, view: DEFAULT_VIEW });
    }
    expect(siteUrl("abc")).toBe("/sites/abc?range=7d");
  });

  it("login URLs", () => {
    expect(loginUrl()).toBe("/login");
    expect(loginUrl("/")).toBe("/login");
    expect(at(loginUrl("/sites/x?range=day&f=is,event:page,/a"))).toEqual({ name: "login", next: "/sites/x?range=day&f=is,event:page,/a" });
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
