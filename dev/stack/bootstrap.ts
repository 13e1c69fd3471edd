import type { D1Database } from "@cloudflare/workers-types/experimental";
import { drizzle } from "drizzle-orm/d1";
import { createSite, createUser, findSiteByDomain, findUserByEmail, grantSite } from "../../lib/d1/accounts";

export const DEV_ADMIN_EMAIL = "admin@localhost";

/** First run of the local stack: an admin and a site for the demo's hostname. Later runs change nothing. */
export async function bootstrapLocal(d1: D1Database, options: { adminPassword: string; siteDomain: string }) {
  const db = drizzle(d1);
  let admin = await findUserByEmail(db, DEV_ADMIN_EMAIL);
  const createdAdmin = !admin;
  admin ??= await createUser(db, { email: DEV_ADMIN_EMAIL, password: options.adminPassword, name: "Local admin", role: "admin" });
  let site = await findSiteByDomain(db, options.siteDomain);
  if (!site) {
    site = await createSite(db, { domain: options.siteDomain, name: "Demo site", timezone: "UTC" });
    await grantSite(db, admin.id, site.id, "owner");
  }
  return { admin, site, createdAdmin };
}
