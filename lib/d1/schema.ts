import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
  createdAt: createdAt(),
  lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }),
});

export const sites = sqliteTable("sites", {
  id: text("id").primaryKey(),
  domain: text("domain").notNull().unique(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  /** JSON array of extra hostnames whose hits belong to this site (besides `domain` and its subdomains). */
  hostnames: text("hostnames", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  retentionDays: integer("retention_days").notNull().default(0),
  createdAt: createdAt(),
});

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
    createdAt: createdAt(),
  },
  (table) => [index("goals_site").on(table.siteId)],
);

export type Goal = typeof goals.$inferSelect;
