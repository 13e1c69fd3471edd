import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { User } from "@pixel/lib/d1/schema";
import { dashboardOrigin } from "../cors/dashboard-origin";
import type { ApiContext, ApiEnv } from "../env";
import { createSession, endSessionByToken, findSession, SESSION_SECONDS } from "./session-store";

/** `__Host-`: only this origin, over a secure channel, may set or read it (no Domain, Path=/). */
export const SESSION_COOKIE = "__Host-pixel_session";

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

/** A new server-side session; the cookie carries only its opaque token. */
export async function startSession(c: Context<ApiContext>, user: User) {
  const token = await createSession(c.env.DB, sessionSecret(c.env), user.id, c.req.header("user-agent") ?? "");
  setCookie(c, SESSION_COOKIE, token, { ...cookieScope(c), maxAge: SESSION_SECONDS });
}

/** Logout: the session ends on the server, not only in this browser. */
export async function endSession(c: Context<ApiContext>) {
  const token = sessionToken(c);
  if (token) await endSessionByToken(c.env.DB, sessionSecret(c.env), token);
  forgetSessionCookie(c);
}

export function forgetSessionCookie(c: Context<ApiContext>) {
  deleteCookie(c, SESSION_COOKIE, cookieScope(c));
}

const sessionToken = (c: Context<ApiContext>) => getCookie(c, SESSION_COOKIE);

/**
 * Strict keeps the cookie off every request another site starts, links included; a dashboard on another origin
 * needs it sent cross-site, which browsers allow only with SameSite=None. Secure always: `__Host-` demands it, and
 * browsers treat http://localhost and 127.0.0.1 as secure.
 */
function cookieScope(c: Context<ApiContext>) {
  const crossOrigin = dashboardOrigin(c.env) !== undefined;
  return { httpOnly: true, secure: true, sameSite: crossOrigin ? ("None" as const) : ("Strict" as const), path: "/" };
}

/** Every route behind this needs a live session of a user who is not disabled. Sets `user` and `sessionId`. */
export const requireUser: MiddlewareHandler<ApiContext> = async (c, next) => {
  const token = sessionToken(c);
  const found = token ? await findSession(c.env.DB, sessionSecret(c.env), token) : undefined;
  if (!found || found.user.disabled) return c.json({ error: "sign in first" }, 401);
  c.set("user", found.user);
  c.set("sessionId", found.session.id);
  await next();
};

/** Behind requireUser: only global admins pass. */
export const requireGlobalAdmin: MiddlewareHandler<ApiContext> = async (c, next) => {
  if (c.var.user.role !== "admin") return c.json({ error: "only global admins may do this" }, 403);
  await next();
};

export const publicUser = (user: User) => ({ id: user.id, email: user.email, name: user.name, role: user.role });
