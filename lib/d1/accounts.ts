import { eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { hashPassword } from "../auth/password";
import { randomId } from "../auth/ids";
import { apiKeys, memberships, sessions, sites, users, type Membership, type Site, type User } from "./schema";

type Db = DrizzleD1Database<Record<string, unknown>>;

export async function createUser(
  db: Db,
  input: { email: string; password: string; name?: string; role?: User["role"] },
): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({
      id: randomId(),
      email: input.email.trim().toLowerCase(),
      name: input.name ?? "",
      passwordHash: await hashPassword(input.password),
      role: input.role ?? "user",
    })
    .returning();
  return user!;
}

export type SiteSettings = Partial<Pick<Site, "name" | "timezone" | "hostnames" | "retentionDays" | "scriptName" | "endpointName" | "shields">>;

export const normalizeDomain = (domain: string) => domain.trim().toLowerCase().replace(/^www\./, "");

/** With `ownerId`, the site and its owner's membership are written together or not at all. */
export async function createSite(db: Db, input: SiteSettings & { domain: string; ownerId?: string }): Promise<Site> {
  const { ownerId, ...settings } = input;
  const id = randomId();
  const domain = normalizeDomain(input.domain);
  const insertSite = db
    .insert(sites)
    .values({ ...settings, id, domain, name: settings.name ?? domain, timezone: settings.timezone ?? "UTC" })
    .returning();
  if (!ownerId) return (await insertSite)[0]!;
  const [[site]] = await db.batch([insertSite, db.insert(memberships).values({ userId: ownerId, siteId: id, role: "owner" })]);
  return site!;
}

export async function grantSite(db: Db, userId: string, siteId: string, role: Membership["role"]) {
  await db.insert(memberships).values({ userId, siteId, role }).onConflictDoUpdate({
    target: [memberships.userId, memberships.siteId],
    set: { role },
  });
}

/**
 * A global admin with this password: a new account, or an existing one promoted, re-enabled and given the
 * password, its sessions and API keys ended.
 */
export async function upsertAdmin(db: Db, input: { email: string; password: string; name?: string }): Promise<{ user: User; created: boolean }> {
  const existing = await findUserByEmail(db, input.email);
  if (!existing) return { user: await createUser(db, { ...input, role: "admin" }), created: true };
  const passwordHash = await hashPassword(input.password);
  const [user] = await db
    .update(users)
    .set({ passwordHash, role: "admin", disabled: false })
    .where(eq(users.id, existing.id))
    .returning();
  await endAccess(db, existing.id);
  return { user: user!, created: false };
}

/** Ends every way a user is signed in, for a password reset or a disabled account: all sessions and all API keys. */
export async function endAccess(db: Db, userId: string): Promise<{ sessions: number; apiKeys: number }> {
  const [ended, revoked] = await db.batch([
    db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id }),
    db.delete(apiKeys).where(eq(apiKeys.userId, userId)).returning({ id: apiKeys.id }),
  ]);
  return { sessions: ended.length, apiKeys: revoked.length };
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

export async function findSiteByDomain(db: Db, domain: string): Promise<Site | undefined> {
  return db.select().from(sites).where(eq(sites.domain, normalizeDomain(domain))).get();
}
