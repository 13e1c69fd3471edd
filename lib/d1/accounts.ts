import { eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { hashPassword } from "../auth/password";
import { randomId } from "../auth/ids";
import { memberships, sites, users, type Membership, type Site, type User } from "./schema";

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

export async function createSite(db: Db, input: { domain: string; name?: string; timezone?: string }): Promise<Site> {
  const domain = input.domain.trim().toLowerCase().replace(/^www\./, "");
  const [site] = await db
    .insert(sites)
    .values({ id: randomId(), domain, name: input.name ?? domain, timezone: input.timezone ?? "UTC" })
    .returning();
  return site!;
}

export async function grantSite(db: Db, userId: string, siteId: string, role: Membership["role"]) {
  await db.insert(memberships).values({ userId, siteId, role }).onConflictDoUpdate({
    target: [memberships.userId, memberships.siteId],
    set: { role },
  });
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

export async function findSiteByDomain(db: Db, domain: string): Promise<Site | undefined> {
  return db.select().from(sites).where(eq(sites.domain, domain)).get();
}
