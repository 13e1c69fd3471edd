import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "@pixel/lib/clickhouse/client";
import { adminClickHouse } from "@pixel/test/setup/clickhouse";
import { createSite } from "@pixel/lib/d1/accounts";
import { checkMessage, isDrop, type QueueMessage } from "@pixel/lib/events/message";
import { DROPPED_HITS } from "@pixel/lib/clickhouse/tables/dropped-hits";
import { EVENTS } from "@pixel/lib/clickhouse/tables/events";
import { insertRows } from "@pixel/lib/clickhouse/insert";
import type { CollectorEnv } from "./env";
import worker from "./index";
import { dropRows, recordingQueue } from "@pixel/test/support/workers/collector";

/**
 * A seeded corpus of malformed requests, with good ones mixed in, through the real collector: no 5xx,
 * every message it queues passes the flusher's schema, good hits all land, and every drop is counted
 * in ClickHouse.
 */
const testEnv = env as unknown as CollectorEnv & { CLICKHOUSE_URL: string; CLICKHOUSE_DATABASE: string };
const REQUESTS = 10_000;
const RUN = crypto.randomUUID().slice(0, 8);
const SITE_HOST = `corpus-${RUN}.example`;
const UNKNOWN_HOST = `unknown-${RUN}.example`;
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const BOT_UA = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { int, pick: <T>(items: readonly T[]) => items[int(items.length)]! };
}
type Random = ReturnType<typeof prng>;

/** What a request should come to: refused with 4xx (one drop), or 204 with hits stored or dropped. */
type Expect = { refused: true } | { refused: false; stored: number; dropped: number };
interface Case {
  body: BodyInit;
  ua: string;
  origin?: string;
  expect: Expect;
}

let eventSeq = 0;
const hit = (random: Random, host = SITE_HOST, extra: Record<string, unknown> = {}) => ({
  id: `c${RUN}_${++eventSeq}`,
  name: random.pick(["pageview", "signup", "engagement"]),
  url: `https://${host}/p/${random.int(50)}?utm_source=s${random.int(5)}`,
  title: `Page ${random.int(100)}`,
  props: { plan: random.pick(["free", "pro"]), seats: random.int(20) },
  ...extra,
});

const WRONG_VALUES: Record<string, unknown[]> = {
  id: [42, null, "short", "has spaces in it!", [], "x".repeat(65)],
  name: [42, null, "", {}, true, "n".repeat(101)],
  url: ["/relative", "not a url", 7, null, "shop.example/no-scheme"],
  referrer: [1, {}, null, ["x"]],
  title: [1, null, {}, "t".repeat(301)],
  screen_width: ["wide", -1, 1.5, 70_000, null],
  ts: [-5, "yesterday", 1.25, null],
  props: ["x", [1, 2], { nested: { deep: 1 } }, Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])), { "": 1 }, null],
};

const invalidUtf8 = (text: string, random: Random) => {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length + 1);
  const at = random.int(bytes.length);
  out.set(bytes.slice(0, at));
  out[at] = random.pick([0xff, 0xfe, 0xc0, 0x80]);
  out.set(bytes.slice(at), at + 1);
  return out;
};

/** Malformed shapes, one generator each; every one must be refused with a 4xx. */
const MALFORMED: ((random: Random) => BodyInit)[] = [
  (random) => crypto.getRandomValues(new Uint8Array(random.int(3000))),
  (random) => {
    const text = JSON.stringify([hit(random), hit(random)]);
    return text.slice(0, random.int(text.length - 1));
  },
  (random) => {
    const depth = 1 + random.int(30_000);
    return random.pick([`${"[".repeat(depth)}${"]".repeat(depth)}`, `{"id":"evt_12345678","props":${'{"a":'.repeat(depth % 10_000)}1${"}".repeat(depth % 10_000)}}`]);
  },
  (random) => {
    const field = random.pick(Object.keys(WRONG_VALUES));
    return JSON.stringify(hit(random, SITE_HOST, { [field]: random.pick(WRONG_VALUES[field]!) }));
  },
  (random) => JSON.stringify(hit(random, SITE_HOST, { title: "x".repeat(301 + random.int(100_000)) })),
  (random) => invalidUtf8(JSON.stringify(hit(random)), random),
  (random) => {
    const key = random.pick(["__proto__", "constructor", "prototype"]);
    const at = random.pick([`{"${key}":{"polluted":1},`, `{"props":{"${key}":"x"},`, `{"props":{"ok":"1"},"nested":{"${key}":{}},`]);
    return `${at}"id":"evt_proto_${random.int(1e6)}","name":"pageview","url":"https://${SITE_HOST}/"}`;
  },
  (random) => JSON.stringify(random.pick([[], {}, null, 42, "hit", Array.from({ length: 51 + random.int(20) }, () => hit(random))])),
  (random) => JSON.stringify({ ...hit(random), [`extra_${random.int(9)}`]: "field" }),
];

function generate(random: Random): Case {
  const roll = random.int(100);
  if (roll < 8) {
    const hits = Array.from({ length: 1 + random.int(5) }, () => hit(random));
    return { body: JSON.stringify(hits), ua: CHROME_UA, expect: { refused: false, stored: hits.length, dropped: 0 } };
  }
  if (roll < 12) {
    const hits = Array.from({ length: 1 + random.int(5) }, () => hit(random, `h${random.int(20)}.${UNKNOWN_HOST}`));
    return { body: JSON.stringify(hits), ua: CHROME_UA, expect: { refused: false, stored: 0, dropped: hits.length } };
  }
  if (roll < 15) {
    const hits = Array.from({ length: 1 + random.int(5) }, () => hit(random));
    return { body: JSON.stringify(hits), ua: BOT_UA, expect: { refused: false, stored: 0, dropped: hits.length } };
  }
  const body = random.pick(MALFORMED)(random);
  return { body, ua: CHROME_UA, origin: `https://${random.pick([SITE_HOST, UNKNOWN_HOST])}`, expect: { refused: true } };
}

let siteId = "";
beforeAll(async () => {
  siteId = (await createSite(drizzle(testEnv.DB), { domain: SITE_HOST })).id;
});

/** Each request from its own address: the corpus is about malformed input, not one visitor's rate limit. */
async function send(testCase: Case, queued: QueueMessage[], ip: string) {
  const queue = recordingQueue(queued);
  const headers: Record<string, string> = { "content-type": "text/plain", "user-agent": testCase.ua, "cf-connecting-ip": ip };
  if (testCase.origin) headers.origin = testCase.origin;
  const ctx = createExecutionContext();
  const request = new Request(`https://${SITE_HOST}/telemetry/e`, { method: "POST", body: testCase.body, headers });
  const response = await worker.fetch(request as never, { ...testEnv, HITS: queue as never }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: await response.text() };
}

async function store(queued: QueueMessage[]) {
  const client = adminClickHouse(testEnv);
  try {
    const events = queued.map(checkMessage).flatMap((checked) => (checked.kind === "event" ? [checked.row] : []));
    const drops = queued.filter(isDrop).flatMap(dropRows);
    for (let i = 0; i < events.length; i += 1000) await insertRows(client, EVENTS, events.slice(i, i + 1000) as never[]);
    for (let i = 0; i < drops.length; i += 1000) await insertRows(client, DROPPED_HITS, drops.slice(i, i + 1000));
    const [events_] = await selectRows<{ rows: number }>(client, "SELECT count() AS rows FROM events FINAL WHERE site_id = {site:String}", { site: siteId });
    const dropped = await selectRows<{ reason: string; hits: number }>(
      client,
      `SELECT reason, toUInt32(sum(hits)) AS hits FROM dropped_hits FINAL
       WHERE site_id = {site:String} OR hostname = {unknown:String} OR endsWith(hostname, {suffix:String})
       GROUP BY reason ORDER BY reason`,
      { site: siteId, unknown: UNKNOWN_HOST, suffix: `.${UNKNOWN_HOST}` },
    );
    return { stored: events_!.rows, dropped };
  } finally {
    await client.close();
  }
}

describe("a corpus of 10,000 malformed requests, good ones mixed in", () => {
  it("never answers 5xx, queues nothing malformed, stores every good hit and counts every drop", async () => {
    const random = prng(20261128);
    const queued: QueueMessage[] = [];
    const expected = { stored: 0, refused: 0, dropped: 0 };
    const wrong: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const testCase = generate(random);
      const { status, body } = await send(testCase, queued, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
      if (testCase.expect.refused) {
        expected.refused++;
        if ((status !== 400 && status !== 413) || !JSON.parse(body).error) wrong.push(`#${i}: ${status} ${body.slice(0, 100)}`);
      } else {
        expected.stored += testCase.expect.stored;
        expected.dropped += testCase.expect.dropped;
        if (status !== 204) wrong.push(`#${i}: ${status} ${body.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(expected.refused).toBeGreaterThan(8000);
    expect(queued.map(checkMessage).filter((checked) => checked.kind === "invalid")).toEqual([]);

    const { stored, dropped } = await store(queued);
    expect(stored).toBe(expected.stored);
    const total = (reasons: string[]) => dropped.filter((row) => reasons.includes(row.reason)).reduce((sum, row) => sum + row.hits, 0);
    expect(total(["invalid", "too_large"])).toBe(expected.refused);
    expect(total(["bot", "unknown_site"])).toBe(expected.dropped);
    expect(dropped.map((row) => row.reason)).toEqual(["bot", "invalid", "too_large", "unknown_site"]);
  }, 300_000);
});
