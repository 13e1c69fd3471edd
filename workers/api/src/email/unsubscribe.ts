import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import { constantTimeEqual } from "@pixel/lib/auth/password";
import { hmacHex } from "@pixel/lib/auth/tokens";
import { emailReports, REPORT_FREQUENCIES, trafficAlerts } from "@pixel/lib/d1/schema";
import { sessionSecret } from "../auth/session";
import { database } from "../db";
import type { ApiContext, ApiEnv } from "../env";
import { dashboardLink } from "./links";

/** What one unsubscribe link stops: one report frequency, or all of a site's alerts, for one recipient. */
export type Subscription = { kind: (typeof REPORT_FREQUENCIES)[number] | "alerts"; siteId: string; userId: string };
const KINDS: readonly string[] = [...REPORT_FREQUENCIES, "alerts"];

const signature = (secret: string, { kind, siteId, userId }: Subscription) => hmacHex(secret, `unsubscribe:${kind}:${siteId}:${userId}`);

/** Signed, not stored: a link keeps working as long as the subscription, and needs no sign-in. */
export async function unsubscribeUrl(env: ApiEnv, subscription: Subscription): Promise<string> {
  const token = [subscription.kind, subscription.siteId, subscription.userId, await signature(sessionSecret(env), subscription)].join(".");
  return dashboardLink(env, `/api/email/unsubscribe?token=${token}`);
}

async function verified(env: ApiEnv, token: string | undefined): Promise<Subscription | undefined> {
  const [kind, siteId, userId, given, ...rest] = (token ?? "").split(".");
  if (!kind || !KINDS.includes(kind) || !siteId || !userId || !given || rest.length) return undefined;
  const subscription = { kind, siteId, userId } as Subscription;
  const expected = await signature(sessionSecret(env), subscription);
  const bytes = (hex: string) => new TextEncoder().encode(hex);
  return constantTimeEqual(bytes(given), bytes(expected)) ? subscription : undefined;
}

const BAD_TOKEN = { error: "token: this unsubscribe link is not one Pixel made; use the link from the e-mail as it is" };
const page = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>Pixel e-mails</title></head><body style="font-family:sans-serif">${body}</body></html>`;

/**
 * Public: the signed token is the credential. GET shows a button (link scanners follow GETs), POST unsubscribes; mail
 * clients' one-click unsubscribe (RFC 8058) POSTs here too, without Origin or cookie, which is why this is mounted
 * ahead of the Origin check.
 */
export const unsubscribeRoutes = new Hono<ApiContext>()
  .get("/unsubscribe", async (c) => {
    const subscription = await verified(c.env, c.req.query("token"));
    if (!subscription) return c.json(BAD_TOKEN, 400);
    const what = subscription.kind === "alerts" ? "traffic alerts" : `${subscription.kind} reports`;
    return c.html(page(`<form method="post"><p>Stop the ${what} of this site?</p><button type="submit">Unsubscribe</button></form>`));
  })
  .post("/unsubscribe", async (c) => {
    const subscription = await verified(c.env, c.req.query("token"));
    if (!subscription) return c.json(BAD_TOKEN, 400);
    const db = database(c.env.DB);
    const { kind, siteId, userId } = subscription;
    if (kind === "alerts") await db.delete(trafficAlerts).where(and(eq(trafficAlerts.siteId, siteId), eq(trafficAlerts.userId, userId)));
    else await db.delete(emailReports).where(and(eq(emailReports.siteId, siteId), eq(emailReports.userId, userId), eq(emailReports.frequency, kind)));
    return c.html(page("<p>Done: Pixel sends you no more of these e-mails. You can turn them on again in the site's settings.</p>"));
  });
