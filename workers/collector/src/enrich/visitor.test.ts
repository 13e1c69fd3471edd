import { afterEach, describe, expect, it, vi } from "vitest";
import { hash64 as sha256Id } from "@pixel/lib/events/hash";
import { hash64, visitorIds } from "./visitor";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("remembered visitor hashes", () => {
  it("give the same ids as SHA-256, and a repeat costs no digest until the UTC day changes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2026-05-01T10:00:00Z"));
    const digest = vi.spyOn(crypto.subtle, "digest");
    const ids = await visitorIds("salt-remembered", "site", "203.0.113.9", "UA");
    expect(ids).toEqual({ visitor_id: await sha256Id("salt-remembered", "site", "203.0.113.9", "UA"), ip_hash: await sha256Id("salt-remembered", "203.0.113.9") });
    const digests = digest.mock.calls.length;
    expect(await visitorIds("salt-remembered", "site", "203.0.113.9", "UA")).toEqual(ids);
    expect(digest.mock.calls.length).toBe(digests);
    vi.setSystemTime(Date.parse("2026-05-02T00:00:01Z"));
    expect(await hash64("salt-remembered", "site", "203.0.113.9", "UA")).toBe(ids.visitor_id);
    expect(digest.mock.calls.length).toBe(digests + 1);
  });

  it("keep parts apart: the same characters split differently are another id", async () => {
    expect(await hash64("ab", "c")).not.toBe(await hash64("a", "bc"));
  });
});
