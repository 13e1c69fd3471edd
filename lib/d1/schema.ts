import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { FunnelStep } from "../funnels";
import { WIDGET_KINDS } from "./widget-kinds";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/** Ids are random, never derived from an email, so nothing in an id identifies a person. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull().default(""),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["admin", "user"] }).notNull().default("user"),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  /** A global admin made two-factor sign-in compulsory for this account. */
  twoFactorRequired: integer("two_factor_required", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
  lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }),
});

/** A signed-in browser. Its cookie carries a random token; only a keyed hash of it is stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    /** Names the session in the list of a user's sessions; not the token. */
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** Browser and OS, like "Firefox on Linux", to tell sessions apart; never the raw header or the IP. */
    device: text("device").notNull().default(""),
  },
  (table) => [index("sessions_user").on(table.userId)],
);

/** A user's TOTP authenticator: pending until a first code confirms it, then asked for at every sign-in. */
export const twoFactors = sqliteTable("two_factors", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** The TOTP secret, AES-GCM encrypted with a key derived from PIXEL_SESSION_SECRET; shown only while enrolling. */
  secret: text("secret").notNull(),
  confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }),
  /** The last 30-second step whose code was accepted: that code and earlier ones are refused from then on. */
  lastStep: integer("last_step").notNull().default(0),
  createdAt: createdAt(),
});

/** Single-use codes for a lost authenticator, stored as keyed hashes; using one deletes it. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.codeHash] })],
);

/**
 * A sign-in whose password was right and whose second factor is still owed: a short-lived, single-use token (only its
 * keyed hash stored) that a code, a recovery code or, for `enrol`, a first authenticator turns into a session.
 */
export const signInChallenges = sqliteTable(
  "sign_in_challenges",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["code", "enrol"] }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("sign_in_challenges_user").on(table.userId)],
);

/** Settings that apply to the whole installation, one row each; global admins change them. */
export const settings = sqliteTable("settings", {
  name: text("name", { enum: ["requireTwoFactor"] }).primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
});

export const sites = sqliteTable("sites", {
  id: text("id").primaryKey(),
  domain: text("domain").notNull().unique(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  /** JSON array of extra hostnames whose hits belong to this site (besides `domain` and its subdomains). */
  hostnames: text("hostnames", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  retentionDays: integer("retention_days").notNull().default(0),
  /** The tracker's file and hit endpoint names under the collector's base path (renamable to dodge blockers). */
  scriptName: text("script_name").notNull().default("pixel.js"),
  endpointName: text("endpoint_name").notNull().default("e"),
  /** Hits the collector drops for this site; see docs/api.md for the shape. */
  shields: text("shields", { mode: "json" }).$type<Shields>().notNull().default(sql`'{"ipRanges":[],"countries":[],"paths":[],"hostnames":[]}'`),
  publicShare: integer("public_share", { mode: "boolean" }).notNull().default(false),
  /** SHA-256 of the share token: the token itself is shown once, when made. */
  shareTokenHash: text("share_token_hash").unique(),
  /** The share page may be framed by the site's own pages (its domain and subdomains, over https). */
  shareEmbed: integer("share_embed", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
  /** The first day of imported history, when it starts before the site was added: where "all time" begins. */
  dataSince: integer("data_since", { mode: "timestamp_ms" }),
});

/**
 * Every hostname a site claims, normalized (lowercase, no `www.`): its domain, which also covers its subdomains, and
 * its extra hostnames, which match only exactly. The primary key makes each claim unique across sites. Written with
 * the site in one batch (lib/d1/accounts.ts), so a clash fails the whole write.
 */
export const siteHostnames = sqliteTable(
  "site_hostnames",
  {
    hostname: text("hostname").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["domain", "extra"] }).notNull(),
  },
  (table) => [index("site_hostnames_site").on(table.siteId)],
);

export interface Shields {
  /** CIDR ranges, IPv4 or IPv6. */
  ipRanges: string[];
  /** ISO 3166-1 alpha-2 codes. */
  countries: string[];
  /** Path patterns; `*` matches any run of characters. */
  paths: string[];
  hostnames: string[];
}

export const memberships = sqliteTable(
  "memberships",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "admin", "viewer"] }).notNull().default("viewer"),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.siteId] }), index("memberships_site").on(table.siteId)],
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type SignInChallenge = typeof signInChallenges.$inferSelect;
export type Site = typeof sites.$inferSelect;
export type Membership = typeof memberships.$inferSelect;

/** A conversion: a custom event by name, or a pageview whose path matches a pattern (`*` matches any run of characters). */
export const goals = sqliteTable(
  "goals",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["event", "page"] }).notNull(),
    eventName: text("event_name"),
    pagePath: text("page_path"),
    displayName: text("display_name").notNull(),
    /** A revenue goal's ISO 4217 currency: its revenue metrics count only conversions in this currency. */
    currency: text("currency"),
    createdAt: createdAt(),
  },
  (table) => [index("goals_site").on(table.siteId)],
);

export type Goal = typeof goals.$inferSelect;

/** A dated note on a site, like "launched pricing v2": shown on the chart at its day, in the site's timezone. */
export const annotations = sqliteTable(
  "annotations",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** A calendar day, `YYYY-MM-DD`, in the site's timezone. */
    date: text("date").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("annotations_site_date").on(table.siteId, table.date)],
);

export type Annotation = typeof annotations.$inferSelect;

/** A funnel: 2 to 8 steps (lib/funnels.ts) a visit takes in order; its report reads them from ClickHouse. */
export const funnels = sqliteTable(
  "funnels",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The steps as JSON, validated by lib/funnels.ts FunnelSteps on the way in. */
    steps: text("steps", { mode: "json" }).$type<FunnelStep[]>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("funnels_site").on(table.siteId)],
);

export type FunnelRow = typeof funnels.$inferSelect;

/**
 * Saved segments: a named set of stats filters (docs/api.md, "Segments"). Private ones are their author's alone;
 * shared ones are seen by every member of the site and managed by its admins. Ids are integers, as in Plausible's
 * segment filter `["is", "segment", [id]]`.
 */
export const segments = sqliteTable(
  "segments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    visibility: text("visibility", { enum: ["private", "shared"] }).notNull(),
    /** The filters as the query language writes them, JSON; checked by parseFilters when saved. */
    filters: text("filters", { mode: "json" }).$type<unknown[]>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("segments_site").on(table.siteId)],
);

export type Segment = typeof segments.$inferSelect;

/** Read-only bearer tokens for the stats API, limited to some sites and to what their owner may still read. */
export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  /** The token's first characters, to tell keys apart; the token is stored only as its SHA-256. */
  prefix: text("prefix").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: createdAt(),
});

export const apiKeySites = sqliteTable(
  "api_key_sites",
  {
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
  },
  (table) => [primaryKey({ columns: [table.keyId, table.siteId] })],
);

export type ApiKey = typeof apiKeys.$inferSelect;

/**
 * Sign-in attempts per fixed window, counted by a keyed hash of what is limited (an account from one network, or a
 * network), never the e-mail address or the IP itself. One upsert counts an attempt, so parallel bursts count exactly.
 */
export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    subject: text("subject").notNull(),
    /** When the window began, in ms since the epoch. */
    window: integer("window").notNull(),
    attempts: integer("attempts").notNull(),
  },
  (table) => [primaryKey({ columns: [table.subject, table.window] })],
);

export const reports = sqliteTable(
  "reports",
  {
    id: text("id").primaryKey(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Shared by every widget of the report: a preset or [from, to] dates, as in a stats query. */
    dateRange: text("date_range", { mode: "json" }).$type<string | [string, string]>().notNull(),
    position: integer("position").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("reports_site").on(table.siteId, table.position)],
);

export const WIDGET_WIDTHS = [1, 2, 3, 4, 5, 6] as const;

export const widgets = sqliteTable(
  "widgets",
  {
    id: text("id").primaryKey(),
    reportId: text("report_id")
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    kind: text("kind", { enum: WIDGET_KINDS }).notNull(),
    /** Columns out of a 6-column grid. */
    width: integer("width").notNull().default(2),
    /** A stats query without site_id and date_range (both come from the report) ... */
    query: text("query", { mode: "json" }).$type<Record<string, unknown>>(),
    /** ... or, for global admins only, read-only ClickHouse SQL. Exactly one of the two is set. */
    sql: text("sql"),
    createdAt: createdAt(),
  },
  (table) => [index("widgets_report").on(table.reportId, table.position)],
);

export type Report = typeof reports.$inferSelect;
export type Widget = typeof widgets.$inferSelect;

/** A password-reset link sent by e-mail: only the SHA-256 of its token is stored; used once, then deleted. */
export const passwordResets = sqliteTable(
  "password_resets",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("password_resets_user").on(table.userId)],
);

/** An e-mail address invited to a site with a role; accepting it (once, before it expires) deletes it. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    email: text("email").notNull(),
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "admin", "viewer"] }).notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("invitations_site").on(table.siteId)],
);

export type Invitation = typeof invitations.$inferSelect;

export const REPORT_FREQUENCIES = ["weekly", "monthly"] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];

/** A member's e-mail report of a site. `lastPeriod` is the first day of the last period sent, so each goes out once. */
export const emailReports = sqliteTable(
  "email_reports",
  {
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    frequency: text("frequency", { enum: REPORT_FREQUENCIES }).notNull(),
    lastPeriod: text("last_period").notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.userId, table.frequency] })],
);

/** A member's traffic alerts for a site: a spike, a drop, or both; each stays quiet for the cool-down once it fired. */
export const trafficAlerts = sqliteTable(
  "traffic_alerts",
  {
    siteId: text("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Alert when the visitors of the last 5 minutes are more than this. */
    spikeVisitors: integer("spike_visitors"),
    /** Alert when the last hour's visitors are under this percentage of the same hour a week before. */
    dropPercent: integer("drop_percent"),
    cooldownMinutes: integer("cooldown_minutes").notNull(),
    /** Also POSTed to (Slack-style `{"text": ...}`), when set. */
    webhookUrl: text("webhook_url"),
    lastSpikeAt: integer("last_spike_at", { mode: "timestamp_ms" }),
    lastDropAt: integer("last_drop_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.userId] })],
);

export type TrafficAlert = typeof trafficAlerts.$inferSelect;

/**
 * The latest retention change of each site, applied to the rows ClickHouse already holds right after the change and,
 * where that stopped, by the api's cron: one per-site table a step (docs/data.md). A newer change replaces the row.
 */
export const retentionJobs = sqliteTable("retention_jobs", {
  siteId: text("site_id")
    .primaryKey()
    .references(() => sites.id, { onDelete: "cascade" }),
  retentionDays: integer("retention_days").notNull(),
  requestedAt: integer("requested_at").notNull(),
  stepsDone: integer("steps_done").notNull().default(0),
  finishedAt: integer("finished_at"),
  error: text("error"),
});
