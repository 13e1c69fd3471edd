import { topologyOf } from "@pixel/lib/clickhouse/node/topology";
import { CLICKHOUSE_USERS } from "@pixel/lib/clickhouse/users";
import { MAX_QUEUE_SHARDS } from "@pixel/lib/events/shards";
import { senderAddress } from "@pixel/workers/api/src/email/sender";

/** Every setting the deploy reads, in one place: docs/deploy.md describes the same list. */
export interface Setting {
  name: string;
  description: string;
  default?: string;
  secret?: boolean;
  /** Who reads it at run time; "deploy" when only the deploy script does. */
  readBy: string;
}

export const SETTINGS: Setting[] = [
  { name: "PIXEL_ZONE", description: "your site's Cloudflare zone, e.g. example.com", readBy: "deploy" },
  { name: "PIXEL_BASE_PATH", description: "path on the zone routed to the collector", default: "/telemetry", readBy: "collector" },
  { name: "PIXEL_API_ROUTE", description: "a route of its own for the api Worker, e.g. api.example.com/*; empty (the default), it answers only on the dashboard's /api", default: "", readBy: "deploy" },
  { name: "PIXEL_PAGES_PROJECT", description: "Cloudflare Pages project for the dashboard", default: "pixel-dashboard", readBy: "deploy" },
  { name: "PIXEL_DASHBOARD_ORIGIN", description: "cross-origin mode only (needs PIXEL_API_ROUTE): the dashboard's origin, which alone gets CORS answers with credentials from the api; empty (the default), the dashboard reaches the api on its own origin", default: "", readBy: "api" },
  { name: "CLICKHOUSE_URL", description: "ClickHouse HTTPS endpoint, e.g. https://abc123.eu-central-1.aws.clickhouse.cloud:8443", readBy: "flusher, api" },
  { name: "CLICKHOUSE_DATABASE", description: "database holding Pixel's tables", default: "pixel", readBy: "flusher, api" },
  { name: "CLICKHOUSE_TOPOLOGY", description: "how the migrations write their DDL: single (one server or ClickHouse Cloud), replicated-database, or cluster:<name> for ON CLUSTER with Replicated engines", default: "single", readBy: "deploy" },
  { name: "CLICKHOUSE_ADMIN_USER", description: "user that may create and alter Pixel's tables; used only to apply migrations", default: CLICKHOUSE_USERS.migrator, readBy: "deploy" },
  { name: "CLICKHOUSE_ADMIN_PASSWORD", description: "password of CLICKHOUSE_ADMIN_USER", secret: true, readBy: "deploy" },
  { name: "CLICKHOUSE_FLUSHER_USER", description: "insert-only user for the flusher", default: CLICKHOUSE_USERS.flusher, readBy: "flusher" },
  { name: "CLICKHOUSE_FLUSHER_PASSWORD", description: "password of CLICKHOUSE_FLUSHER_USER", secret: true, readBy: "flusher" },
  { name: "CLICKHOUSE_API_USER", description: "read-only user for the api", default: CLICKHOUSE_USERS.api, readBy: "api" },
  { name: "CLICKHOUSE_API_PASSWORD", description: "password of CLICKHOUSE_API_USER", secret: true, readBy: "api" },
  { name: "CLICKHOUSE_WRITE_USER", description: "user that may insert, delete and update, for deleting and importing a site's data, applying retention changes and rolling up days from the api (pixel_data); unset, those routes answer 503 and the overview reads raw rows only", default: "", readBy: "api" },
  { name: "CLICKHOUSE_WRITE_PASSWORD", description: "password of CLICKHOUSE_WRITE_USER", default: "", secret: true, readBy: "api" },
  { name: "PIXEL_QUEUE_SHARDS", description: `hits queues (1 to ${MAX_QUEUE_SHARDS}): past one queue's 5,000 messages a second, the collector spreads requests by visitor over pixel-hits, pixel-hits-1 …, each consumed by the flusher (docs/ingestion.md)`, default: "1", readBy: "deploy" },
  { name: "PIXEL_ADMIN_TOKEN", description: "turns on the flusher's dead-letter admin routes (≥ 16 characters); leave unset to keep them off", default: "", secret: true, readBy: "flusher" },
  { name: "PIXEL_ALERT_WEBHOOK_URL", description: "the flusher's hourly cron posts a JSON alert here while dead letters wait for replay; unset, it only logs", default: "", secret: true, readBy: "flusher" },
  { name: "PIXEL_EMAIL_FROM", description: "sender of invitations, password resets, reports and alerts, e.g. Pixel <pixel@example.com>, on a domain set up for sending; empty (the default), those features answer 503", default: "", readBy: "api" },
  { name: "PIXEL_DASHBOARD_URL", description: "the dashboard's public address for links in e-mails, e.g. https://stats.example.com; needed with PIXEL_EMAIL_FROM", default: "", readBy: "api" },
  { name: "PIXEL_EMAIL_PROVIDER", description: "cloudflare (the api's send_email binding, Email Service), resend or postmark", default: "cloudflare", readBy: "api" },
  { name: "PIXEL_EMAIL_API_KEY", description: "the Resend or Postmark API key; not needed for cloudflare", default: "", secret: true, readBy: "api" },
  { name: "PIXEL_SESSION_SECRET", description: "signs dashboard sessions (≥ 32 characters); generated on the first deploy when unset", secret: true, readBy: "api" },
];

export interface DeployConfig {
  zone: string;
  basePath: string;
  /** Empty: the api has no route, only the dashboard's service binding. */
  apiRoute: string;
  pagesProject: string;
  /** Set only in cross-origin mode: the dashboard calls the api on `apiRoute`. */
  dashboardOrigin?: string;
  clickHouse: {
    url: string;
    database: string;
    topology: string;
    admin: { user: string; password: string };
    flusher: { user: string; password: string };
    api: { user: string; password: string };
    writer?: { user: string; password: string };
  };
  /** How many hits queues (shards) the collector spreads over, each with its flusher consumer. */
  queueShards: number;
  sessionSecret?: string;
  adminToken?: string;
  alertWebhookUrl?: string;
  /** Unset: the api sends no e-mail. */
  email?: { from: string; address: string; dashboardUrl: string; provider: string; apiKey?: string };
}

export class MissingSettingsError extends Error {}

/** Reads the deploy configuration from the environment (after prompting fills the gaps), or says what is missing. */
export function deployConfigFrom(env: Record<string, string | undefined>): DeployConfig {
  const value = (name: string) => env[name] ?? SETTINGS.find((setting) => setting.name === name)?.default;
  const missing = SETTINGS.filter((s) => s.name !== "PIXEL_SESSION_SECRET" && value(s.name) === undefined).map((s) => s.name);
  if (missing.length) throw new MissingSettingsError(`set ${missing.join(", ")} (see docs/deploy.md)`);
  const zone = value("PIXEL_ZONE")!;
  const apiRoute = value("PIXEL_API_ROUTE")!.replace("<zone>", zone);
  const dashboardOrigin = value("PIXEL_DASHBOARD_ORIGIN")!.replace(/\/+$/, "") || undefined;
  const topology = value("CLICKHOUSE_TOPOLOGY")!;
  try {
    topologyOf(topology);
  } catch (error) {
    throw new MissingSettingsError((error as Error).message);
  }
  const queueShards = Number(value("PIXEL_QUEUE_SHARDS"));
  if (!Number.isInteger(queueShards) || queueShards < 1 || queueShards > MAX_QUEUE_SHARDS) {
    throw new MissingSettingsError(`PIXEL_QUEUE_SHARDS is a whole number from 1 to ${MAX_QUEUE_SHARDS}, not ${value("PIXEL_QUEUE_SHARDS")}`);
  }
  if (dashboardOrigin && !apiRoute) {
    throw new MissingSettingsError("PIXEL_DASHBOARD_ORIGIN (cross-origin mode) needs PIXEL_API_ROUTE, the api's own address for the dashboard to call (see docs/deploy.md)");
  }
  return {
    zone,
    basePath: `/${value("PIXEL_BASE_PATH")!.replace(/^\/+|\/+$/g, "")}`,
    apiRoute,
    pagesProject: value("PIXEL_PAGES_PROJECT")!,
    dashboardOrigin,
    clickHouse: {
      url: value("CLICKHOUSE_URL")!,
      database: value("CLICKHOUSE_DATABASE")!,
      topology,
      admin: { user: value("CLICKHOUSE_ADMIN_USER")!, password: value("CLICKHOUSE_ADMIN_PASSWORD")! },
      flusher: { user: value("CLICKHOUSE_FLUSHER_USER")!, password: value("CLICKHOUSE_FLUSHER_PASSWORD")! },
      api: { user: value("CLICKHOUSE_API_USER")!, password: value("CLICKHOUSE_API_PASSWORD")! },
      writer: env.CLICKHOUSE_WRITE_USER ? { user: env.CLICKHOUSE_WRITE_USER, password: env.CLICKHOUSE_WRITE_PASSWORD ?? "" } : undefined,
    },
    queueShards,
    sessionSecret: env.PIXEL_SESSION_SECRET,
    adminToken: env.PIXEL_ADMIN_TOKEN || undefined,
    alertWebhookUrl: env.PIXEL_ALERT_WEBHOOK_URL || undefined,
    email: emailFrom(value),
  };
}

function emailFrom(value: (name: string) => string | undefined): DeployConfig["email"] {
  const [from, dashboardUrl, provider, apiKey] = ["PIXEL_EMAIL_FROM", "PIXEL_DASHBOARD_URL", "PIXEL_EMAIL_PROVIDER", "PIXEL_EMAIL_API_KEY"].map(value);
  if (!from) return undefined;
  const address = senderAddress(from);
  if (!address) throw new MissingSettingsError(`PIXEL_EMAIL_FROM is pixel@example.com or "Pixel <pixel@example.com>", not ${from}`);
  if (!dashboardUrl) throw new MissingSettingsError("PIXEL_EMAIL_FROM needs PIXEL_DASHBOARD_URL, the dashboard's address for the links in e-mails (see docs/deploy.md)");
  if (!["cloudflare", "resend", "postmark"].includes(provider!)) throw new MissingSettingsError("PIXEL_EMAIL_PROVIDER is cloudflare, resend or postmark");
  if (provider !== "cloudflare" && !apiKey) throw new MissingSettingsError(`PIXEL_EMAIL_PROVIDER=${provider} needs PIXEL_EMAIL_API_KEY`);
  return { from, address, dashboardUrl: dashboardUrl.replace(/\/+$/, ""), provider: provider!, apiKey: apiKey || undefined };
}
