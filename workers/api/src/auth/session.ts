import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { sign, verify } from "hono/jwt";
import { eq } from "drizzle-orm";
import { users, type User } from "../../../../lib/d1/schema";
import { dashboardOrigin } from "../cors/dashboard-origin";
import { database } from "../db";
import type { ApiContext, ApiEnv } from "../env";

/** `__Host-`: only this origin, over a secure channel, may set or read it (no Domain, Path=/). */
export const SESSION_COOKIE = "__Host-pixel_session";
const SESSION_SECONDS = 30 * 24 * 3600;

export class MisconfiguredError extends Error {}

export function sessionSecret(env: ApiEnv): string {
  const secret = env.PIXEL_SESSION_SECRET;
  if (!secret || secret.length < 32) {
    throw new MisconfiguredError(
      "PIXEL_SESSION_SECRET is missing or shorter than 32 characters: set it with `wrangler secret put PIXEL_SESSION_SECRET`",
    );
  }
  return secret;
}

export async function startSession(c: Context<ApiContext>, user: User) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: user.id, ver: user.sessionVersion, iat: now, exp: now + SESSION_SECONDS };
  const token = await sign(claims, sessionSecret(c.env), "HS256");
  setCookie(c, SESSION_COOKIE, token, { ...cookieScope(c), maxAge: SESSION_SECONDS });
}

export function endSession(c: Context<ApiContext>) {
  deleteCookie(c, SESSION_COOKIE, cookieScope(c));
}

/**
 * Strict keeps the cookie off every request another site starts, links included; a dashboard on another origin
 * needs it sent cross-site, which browsers allow only with SameSite=None. Secure always: `__Host-` demands it, and
 * browsers treat http://localhost and 127.0.0.1 as secure.
 */
function cookieScope(c: Context<ApiContext>) {
  const crossOrigin = dashboardOrigin(c.env) !== undefined;
  return { httpOnly: true, secure: true, sameSite: crossOrigin ? ("None" as const) : ("Strict" as const), path: "/" };
}

/** Every route behind this needs a valid session of a user who is not disabled. */
export const requireUser: MiddlewareHandler<ApiContext> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const claims = token ? await verify(token, sessionSecret(c.env), "HS256").catch(() => null) : null;
  const user = typeof claims?.sub === "string" ? await findActiveUser(c.env.DB, claims.sub) : undefined;
  if (!user || (claims?.ver ?? 0) !== user.sessionVersion) return c.json({ error: "sign in first" }, 401);
  c.set("user", user);
  await next();
};

async function findActiveUser(d1: D1Database, id: string): Promise<User | undefined> {
  const user = await database(d1).select().from(users).where(eq(users.id, id)).get();
  return user && !user.disabled ? user : undefined;
}

/** Behind requireUser: only global admins pass. */
export const requireGlobalAdmin: MiddlewareHandler<ApiContext> = async (c, next) => {
  if (c.var.user.role !== "admin") return c.json({ error: "only global admins may do this" }, 403);
  await next();
};

export const publicUser = (user: User) => ({ id: user.id, email: user.email, name: user.name, role: user.role });
