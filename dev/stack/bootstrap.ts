import type { D1Database } from "@cloudflare/workers-types/experimental";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { hashPassword } from "@pixel/lib/auth/password";
import { users } from "@pixel/lib/d1/schema";
import { createSite, createUser, findSiteByDomain, findUserByEmail, grantSite } from "@pixel/lib/d1/accounts";

export const DEV_ADMIN_EMAIL = "admin@localhost";

/**
 * First run of the local stack: an admin and a site for the demo's hostname. Later runs change nothing,
 * except the admin's password when `resetPassword` is set (PIXEL_ADMIN_PASSWORD given).
 */
export async function bootstrapLocal(
  d1: D1Database,
  options: { adminPassword: string; siteDomain: string; siteId?: string; resetPassword?: boolean },
) {
  const db = drizzle(d1);
  let admin = await findUserByEmail(db, DEV_ADMIN_EMAIL);
  const createdAdmin = !admin;
  admin ??= await createUser(db, { email: DEV_ADMIN_EMAIL, password: options.adminPassword, name: "Local admin", role: "admin" });
  if (!createdAdmin && options.resetPassword) {
    await db.update(users).set({ passwordHash: await hashPassword(options.adminPassword) }).where(eq(users.id, admin.id));
  }
  let site = await findSiteByDomain(db, options.siteDomain);
  if (!site) {
    site = await createSite(db, { domain: options.siteDomain, name: "Demo site", timezone: "UTC", id: options.siteId });
    await grantSite(db, admin.id, site.id, "owner");
  }
  return { admin, site };
}
