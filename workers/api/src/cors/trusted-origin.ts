import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "../auth/session";
import type { ApiContext } from "../env";
import { dashboardOrigin } from "./dashboard-origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The one origin whose pages may change state with the session cookie: the configured dashboard, else the api's own. */
export function trustedOrigin(c: Context<ApiContext>): string {
  return dashboardOrigin(c.env) ?? new URL(c.req.url).origin;
}

/**
 * CSRF: a state change that rides on the session cookie (or signs in) must name the trusted origin in `Origin`,
 * which browsers send on every such request. A request with only a bearer API key or share token is exempt:
 * no other site's page can attach one.
 */
export const requireTrustedOrigin: MiddlewareHandler<ApiContext> = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  const byBearer = c.req.header("authorization") !== undefined && getCookie(c, SESSION_COOKIE) === undefined;
  const origin = c.req.header("origin");
  if (byBearer || origin === trustedOrigin(c)) return next();
  const error = origin
    ? `origin: ${origin} may not change anything here; only pages from ${trustedOrigin(c)} may`
    : `origin: this request changes state with a session cookie but sends no Origin header; send Origin: ${trustedOrigin(c)}, or use an API key`;
  return c.json({ error }, 403);
};
