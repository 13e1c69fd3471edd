import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { ApiContext, ApiEnv } from "../env";

/**
 * The dashboard's origin when it is not the api's own (e.g. `https://pixel-dashboard.pages.dev`): only that origin
 * gets CORS answers with credentials, and the session cookie becomes `SameSite=None; Secure` so it travels there.
 */
export function dashboardOrigin(env: ApiEnv): string | undefined {
  const origin = env.PIXEL_DASHBOARD_ORIGIN?.trim().replace(/\/+$/, "");
  return origin ? origin : undefined;
}

export const dashboardCors: MiddlewareHandler<ApiContext> = async (c, next) => {
  const allowed = dashboardOrigin(c.env);
  if (!allowed) return next();
  return cors({
    origin: (origin) => (origin === allowed ? origin : null),
    credentials: true,
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["content-type", "authorization", "accept"],
    exposeHeaders: ["content-disposition", "retry-after", "x-request-id"],
    maxAge: 600,
  })(c, next);
};
