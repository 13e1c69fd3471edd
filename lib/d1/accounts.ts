import { eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { hashPassword } from "../auth/password";
import { randomId } from "../auth/ids";
import {
  apiKeys,
  memberships,
  recoveryCodes,
  sessions,
  signInChallenges,
  siteHostnames,
  sites,
  twoFactors,
  users,
  type Membership,
  type Site,
  type User,
} from "./schema";

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

/**
 * The site, its hostname claims and, with `ownerId`, its owner's membership are written together or not at all: a
 * domain or hostname another site claims fails the whole write (see isClaimClash). `id` is for local tooling whose
 * ClickHouse data is stored under a known id (the dashboard bench); without it the id is random.
 */
export async function createSite(db: Db, input: SiteSettings & { domain: string; ownerId?: string; id?: string }): Promise<Site> {
  const { ownerId, id = randomId(), ...settings } = input;
  const domain = normalizeDomain(input.domain);
  const hostnames = (settings.hostnames ?? []).map(normalizeDomain);
  const [[site]] = await db.batch([
    db
      .insert(sites)
      .values({ ...settings, hostnames, id, domain, name: settings.name ?? domain, timezone: settings.timezone ?? "UTC" })
      .returning(),
    db.insert(siteHostnames).values(claimsOf(id, domain, hostnames)),
    ...(ownerId ? [db.insert(memberships).values({ userId: ownerId, siteId: id, role: "owner" as const })] : []),
  ]);
  return site!;
}

/** Changes a site's settings; a new domain or hostnames rewrite its claims in the same batch. */
export async function updateSite(db: Db, site: Site, change: SiteSettings & { domain?: string }): Promise<Site> {
  const update = db.update(sites).set(change).where(eq(sites.id, site.id)).returning();
  if (change.domain === undefined && change.hostnames === undefined) return (await update)[0]!;
  const claims = claimsOf(site.id, change.domain ?? site.domain, change.hostnames ?? site.hostnames);
  const [updated] = await db.batch([update, db.delete(siteHostnames).where(eq(siteHostnames.siteId, site.id)), db.insert(siteHostnames).values(claims)]);
  return updated[0]!;
}

const claimsOf = (siteId: string, domain: string, hostnames: string[]) => [
  { hostname: domain, siteId, kind: "domain" as const },
  ...[...new Set(hostnames)].filter((hostname) => hostname !== domain).map((hostname) => ({ hostname, siteId, kind: "extra" as const })),
];

/** Whether an error is the database refusing a domain or hostname another site holds. */
export function isClaimClash(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (/UNIQUE constraint failed: (site_hostnames\.hostname|sites\.domain)/.test(cause.message)) return true;
  }
  return false;
}

export async function grantSite(db: Db, userId: string, siteId: string, role: Membership["role"]) {
  await db.insert(memberships).values({ userId, siteId, role }).onConflictDoUpdate({
    target: [memberships.userId, memberships.siteId],
    set: { role },
  });
}

/**
 * A global admin with this password: a new account, or an existing one promoted, re-enabled and given the
 * password, its sessions and API keys ended, and its two-factor sign-in reset (the way back for a lost authenticator).
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
  await resetTwoFactor(db, existing.id);
  return { user: user!, created: false };
}

/** Forgets a user's authenticator, recovery codes and pending second-factor sign-ins; false when there was no authenticator. */
export async function resetTwoFactor(db: Db, userId: string): Promise<boolean> {
  const [removed] = await db.batch([
    db.delete(twoFactors).where(eq(twoFactors.userId, userId)).returning({ userId: twoFactors.userId }),
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db.delete(signInChallenges).where(eq(signInChallenges.userId, userId)),
  ]);
  return removed.length > 0;
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
