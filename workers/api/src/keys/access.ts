import { eq } from "drizzle-orm";
import { sha256Hex } from "@pixel/lib/auth/tokens";
import { apiKeys, apiKeySites, users } from "@pixel/lib/d1/schema";
import { database } from "../db";
import type { Caller } from "../env";

/** The key's maker and sites, unless the token is unknown or its maker is disabled. */
export async function apiKeyCaller(d1: D1Database, token: string): Promise<Extract<Caller, { kind: "key" }> | undefined> {
  const db = database(d1);
  const row = await db
    .select({ keyId: apiKeys.id, user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.tokenHash, await sha256Hex(token)))
    .get();
  if (!row || row.user.disabled) return undefined;
  const scopes = await db.select({ siteId: apiKeySites.siteId }).from(apiKeySites).where(eq(apiKeySites.keyId, row.keyId)).all();
  return { kind: "key", keyId: row.keyId, user: row.user, siteIds: scopes.map((scope) => scope.siteId) };
}
