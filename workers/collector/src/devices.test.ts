import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { linkedVisitor } from "./devices";
import type { CollectorEnv } from "./env";

const links = (env as unknown as CollectorEnv).LINKS;
/** Times ahead of the clock, so the clean-up alarm of a sighting has not fired yet. */
const START = Date.now() + 60 * 60_000;
const minutes = (count: number) => START + count * 60_000;
const strongSignal = () => `dev_${crypto.randomUUID().replaceAll("-", "")}`;

describe("cross-site device linking", () => {
  it("links a visitor on another site of the same account 14 minutes later", async () => {
    const device = strongSignal();
    const first = await linkedVisitor(links, "acct_1", device, "site_a", "111", minutes(0));
    expect(first).toBe("111");
    expect(await linkedVisitor(links, "acct_1", device, "site_b", "222", minutes(14))).toBe("111");
    expect(await linkedVisitor(links, "acct_1", device, "site_b", "222", minutes(20))).toBe("111");
  });

  it("does not link 16 minutes later", async () => {
    const device = strongSignal();
    await linkedVisitor(links, "acct_1", device, "site_a", "111", minutes(0));
    expect(await linkedVisitor(links, "acct_1", device, "site_b", "222", minutes(16))).toBe("222");
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["short", "abc12345"],
    ["one repeated character", "0".repeat(32)],
  ])("never links on %s signals", async (_, device) => {
    await linkedVisitor(links, "acct_1", device, "site_a", "111", minutes(0));
    expect(await linkedVisitor(links, "acct_1", device, "site_b", "222", minutes(1))).toBe("222");
  });

  it("never links across accounts", async () => {
    const device = strongSignal();
    await linkedVisitor(links, "acct_1", device, "site_a", "111", minutes(0));
    expect(await linkedVisitor(links, "acct_2", device, "site_b", "222", minutes(1))).toBe("222");
  });

  it("treats a signal that two visitors share on one site as weak, and links neither", async () => {
    const device = strongSignal();
    await linkedVisitor(links, "acct_1", device, "site_a", "111", minutes(0));
    expect(await linkedVisitor(links, "acct_1", device, "site_a", "333", minutes(1))).toBe("333");
    expect(await linkedVisitor(links, "acct_1", device, "site_b", "222", minutes(2))).toBe("222");
  });
});
