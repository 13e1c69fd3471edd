import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@pixel/lib/d1/accounts";
import { collect, testEnv } from "@pixel/test/support/workers/collector";

let siteId = "";
beforeAll(async () => {
  siteId = (await createSite(drizzle(testEnv.DB), { domain: "people.example" })).id;
});

const hit = (extra: Record<string, unknown>) => ({
  id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
  name: "signup",
  url: "https://people.example/welcome",
  ...extra,
});

const counted = (drops: { reason: string; detail: string; hits: number }[]) =>
  Object.fromEntries(drops.map(({ reason, detail, hits }) => [`${reason}:${detail}`, hits]));

describe("personal data from any sender", () => {
  it("stores a hit whose user id is an e-mail address or a phone number without it, and counts each", async () => {
    const userIds = ["jane.doe@example.com", "+49 170 1234567", "(555) 123-4567", "4915112345678", "customer-7", "2147483647"];
    const { response, sent, drops, queued } = await collect(JSON.stringify(userIds.map((user_id) => hit({ user_id }))));
    expect(response.status).toBe(204);
    expect(response.headers.get("x-pixel-dropped")).toBe("pii_user_id");
    expect(sent.map((row) => row.user_id)).toEqual(["", "", "", "", "customer-7", "2147483647"]);
    expect(drops.every((drop) => drop.site_id === siteId && drop.hostname === "people.example")).toBe(true);
    expect(counted(drops)).toEqual({ "pii_user_id:email": 1, "pii_user_id:phone": 3 });
    expect(JSON.stringify(queued)).not.toMatch(/jane\.doe|1234567|4915112345678/);
  });

  it("redacts e-mail addresses in prop values and keys as in URLs, keeps the rest of the props, and counts each by its key", async () => {
    const props = { contact: "joe@mail.example", note: "write to ann@shop.example today", plan: "pro", seats: 3, "by joe@mail.example": true };
    const { response, sent, drops } = await collect(JSON.stringify(hit({ props })));
    expect(response.headers.get("x-pixel-dropped")).toBe("pii_prop");
    expect(JSON.stringify(sent)).not.toContain("@");
    expect(sent[0]!.props).toEqual({ contact: "redacted", note: "write to redacted today", plan: "pro", seats: "3", "by redacted": "true" });
    expect(counted(drops)).toEqual({ "pii_prop:contact": 1, "pii_prop:note": 1, "pii_prop:by redacted": 1 });
  });

  it("does the same for the GIF pixel's props", async () => {
    const query = new URLSearchParams({ u: "https://people.example/newsletter", "p.reader": "joe@mail.example" });
    const { response, sent, drops } = await collect(null, { method: "GET", path: `/telemetry/e.gif?${query}` });
    expect(response.status).toBe(200);
    expect(sent[0]!.props).toEqual({ reader: "redacted" });
    expect(counted(drops)).toEqual({ "pii_prop:reader": 1 });
  });

  it("leaves a hit without personal data as it is and counts nothing", async () => {
    const { response, sent, drops } = await collect(JSON.stringify(hit({ user_id: "f47ac10b-58cc-4372-a567-0e02b2c3d479", props: { price: "10 @ 2.50" } })));
    expect(response.headers.get("x-pixel-dropped")).toBeNull();
    expect(sent[0]).toMatchObject({ user_id: "f47ac10b-58cc-4372-a567-0e02b2c3d479", props: { price: "10 @ 2.50" } });
    expect(drops).toEqual([]);
  });
});
