import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@clickhouse/client-web";
import { insertEvents } from "@pixel/lib/clickhouse/tables/events";
import { generateEventBatches, type TruthSite } from "./ground-truth/generate";
import { DEV_ADMIN_EMAIL } from "./stack/bootstrap";
import { parseCli } from "@pixel/lib/node/cli";
import { localPasswordsIn } from "@pixel/lib/clickhouse/node/users";
import { CLICKHOUSE_USERS } from "@pixel/lib/clickhouse/users";

const { values: flags } = parseCli(
  "seed",
  `Writes realistic demo traffic for three demo sites into the ClickHouse of a running \`npm run dev\`; sites and
goals are made through the api, as a user would.

  npm run seed -- [--events 100000] [--days 28]

  --events   about how many events to write (at most 10,000,000)
  --days     over how many days up to today`,
  { options: { events: { type: "string", default: "100000" }, days: { type: "string", default: "28" } } },
);

const dataDir = () => process.env.PIXEL_DATA_DIR ?? join(process.cwd(), ".pixel");

const DEMO_SITES = [
  { domain: "shop.demo.example", name: "Demo shop", timezone: "Europe/Berlin" },
  { domain: "blog.demo.example", name: "Demo blog", timezone: "America/New_York" },
  { domain: "docs.demo.example", name: "Demo docs", timezone: "Asia/Kolkata" },
];
const GOALS = [
  { kind: "event", eventName: "signup", displayName: "Signup" },
  { kind: "page", pagePath: "/pricing*", displayName: "Saw pricing" },
];
/** What the generator makes per visit on average: pageviews, engagement and custom events. */
const EVENTS_PER_VISIT = 5;

const wholeNumber = (name: "events" | "days") => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive whole number`);
  return value;
};

async function main() {
  const events = wholeNumber("events");
  const days = wholeNumber("days");
  if (events > 10_000_000) throw new Error("--events is at most 10,000,000");
  const api = `http://127.0.0.1:${process.env.PIXEL_API_PORT ?? "8788"}`;
  const clickHouseUrl = process.env.CLICKHOUSE_URL || `http://127.0.0.1:${process.env.PIXEL_CLICKHOUSE_PORT ?? "8123"}`;
  const cookie = await signIn(api);
  const sites = await ensureSites(api, cookie);

  const visitsPerSiteDay = Math.max(1, Math.round(events / (EVENTS_PER_VISIT * sites.length * days)));
  const firstDay = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  // Hits arrive as the flusher writes them: as its users.sql user, with the local stack's password.
  const writer = CLICKHOUSE_USERS.flusher;
  const client = createClient({ url: clickHouseUrl, database: process.env.CLICKHOUSE_DATABASE || "pixel", username: writer, password: localPasswordsIn(dataDir())[writer] });
  const started = Date.now();
  let written = 0;
  try {
    for (const batch of generateEventBatches({ seed: Date.now() % 100_000, sites, firstDay, days, visitsPerSiteDay }, 20_000)) {
      const now = Date.now();
      const rows = batch.filter((row) => row.timestamp <= now);
      await insertEvents(client, rows);
      written += rows.length;
      progress(written, events, started);
    }
  } finally {
    await client.close();
  }
  process.stdout.write(`\nSeeded ${written.toLocaleString("en")} events over ${days} days for ${sites.map((s) => s.domain).join(", ")}.\n`);
}

function progress(done: number, total: number, started: number) {
  const share = Math.min(1, done / total);
  const bar = "█".repeat(Math.round(share * 30)).padEnd(30, "░");
  const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  process.stdout.write(`\r${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${done.toLocaleString("en")} events  ${rate.toLocaleString("en")}/s `);
}

async function signIn(api: string): Promise<string> {
  const secrets = join(dataDir(), "dev-secrets.json");
  if (!existsSync(secrets)) throw new Error("no local Pixel found: start it with `npm run dev` first, then seed in another terminal");
  const { adminPassword } = JSON.parse(readFileSync(secrets, "utf8")) as { adminPassword: string };
  const response = await fetch(`${api}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(api).origin },
    body: JSON.stringify({ email: DEV_ADMIN_EMAIL, password: adminPassword }),
  }).catch(() => null);
  if (!response) throw new Error(`the api does not answer at ${api}: is \`npm run dev\` running?`);
  if (!response.ok) throw new Error(`signing in as ${DEV_ADMIN_EMAIL} failed (${response.status}): ${await response.text()}`);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

async function ensureSites(api: string, cookie: string): Promise<TruthSite[]> {
  const call = (path: string, body?: unknown) =>
    fetch(`${api}/api${path}`, { method: body ? "POST" : "GET", headers: { "content-type": "application/json", origin: new URL(api).origin, cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
  for (const site of DEMO_SITES) {
    const created = await call("/sites", site);
    if (created.status !== 201 && created.status !== 409) throw new Error(`could not add ${site.domain}: ${await created.text()}`);
  }
  const { sites } = (await (await call("/sites")).json()) as { sites: TruthSite[] };
  const demo = sites.filter((site) => DEMO_SITES.some((d) => d.domain === site.domain));
  for (const site of demo) for (const goal of GOALS) await call(`/sites/${site.id}/goals`, goal);
  return demo;
}

main().catch((error: Error) => {
  console.error(`\nseed failed: ${error.message}`);
  process.exit(1);
});
