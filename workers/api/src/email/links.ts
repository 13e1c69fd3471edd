import type { Context } from "hono";
import { MisconfiguredError } from "../auth/session";
import { dashboardOrigin } from "../cors/dashboard-origin";
import { logFor } from "@pixel/lib/log/http";
import { errorFields } from "@pixel/lib/log/log";
import type { ApiContext, ApiEnv } from "../env";

/**
 * Where e-mailed links point: the dashboard's public origin, from configuration only. A link built from the
 * request's Host header could be pointed elsewhere by whoever sends the request; cron jobs have no request at all.
 */
export function dashboardLink(env: ApiEnv, path: string): string {
  const origin = env.PIXEL_DASHBOARD_URL?.trim().replace(/\/+$/, "") || dashboardOrigin(env);
  if (!origin) throw new MisconfiguredError("PIXEL_DASHBOARD_URL is not set: e-mails need the dashboard's address for their links (docs/deploy.md)");
  return `${origin}${path}`;
}

/** A site's overview in the dashboard. */
export const siteLink = (env: ApiEnv, siteId: string) => dashboardLink(env, `/sites/${encodeURIComponent(siteId)}`);

/**
 * Sends after the answer when the runtime lets us, so the answer takes as long whether or not a message goes out,
 * and a failed send is logged rather than told: it would say that the address has an account.
 */
export function sendInBackground(c: Context<ApiContext>, send: () => Promise<void>): Promise<void> {
  const work = send().catch((error) => logFor(c.req.raw, "api").error("sending an e-mail failed", errorFields(error)));
  try {
    c.executionCtx.waitUntil(work);
    return Promise.resolve();
  } catch {
    return work; // no execution context (a direct call in tests): wait for it
  }
}
