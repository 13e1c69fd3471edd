import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { User } from "../../../../lib/d1/schema";
import { dashboardOrigin } from "../cors/dashboard-origin";
import type { ApiContext, ApiEnv } from "../env";
import { createSession, endSessionByToken, findSession, SESSION_SECONDS } from "./session-store";

export const SESSION_COOKIE = "pixel_session";

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

/** Lax on one origin; a dashboard on another origin needs the cookie sent cross-site, which browsers allow only Secure. */
function cookieScope(c: Context<ApiContext>) {
  const crossOrigin = dashboardOrigin(c.env) !== undefined;
  return {
    httpOnly: true,
    secure: crossOrigin || new URL(c.req.url).protocol === "https:",
    sameSite: crossOrigin ? ("None" as const) : ("Lax" as const),
    path: "/",
  };
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
