import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { clickHouseAnswers } from "../../../lib/health/clickhouse";
import { checkHealth, d1Answers, healthResponse } from "../../../lib/health/health";
import { logFor } from "../../../lib/log/http";
import { errorFields } from "../../../lib/log/log";
import { requireCaller } from "./auth/caller";
import { passwordResetRoutes } from "./auth/password-reset";
import { authRoutes } from "./auth/routes";
import { MisconfiguredError, requireUser } from "./auth/session";
import { dashboardCors } from "./cors/dashboard-origin";
import { requireTrustedOrigin } from "./cors/trusted-origin";
import { dataRoutes } from "./data/routes";
import { dropRoutes } from "./drops/routes";
import { unsubscribeRoutes } from "./email/unsubscribe";
import type { ApiContext } from "./env";
import { annotationRoutes } from "./annotations/routes";
import { emailSettingsRoutes } from "./email/settings";
import { goalRoutes } from "./goals/routes";
import { invitationRoutes, publicInvitationRoutes } from "./invitations/routes";
import { reportRoutes } from "./reports/routes";
import { memberRoutes } from "./sites/members";
import { keyRoutes } from "./keys/routes";
import { publicShareRoutes, shareRoutes } from "./shares/routes";
import { settingsRoutes } from "./settings/routes";
import { siteRoutes } from "./sites/routes";
import { statsRateLimit } from "./stats/rate-limit";
import { statsRoutes } from "./stats/routes";
import { v1StatsRoutes } from "./stats/v1/routes";
import { userRoutes } from "./users/routes";

/** The api's whole route tree, and who may call each part: public, any signed-in user, or a stats caller (cookie or key). */
export const app = new Hono<ApiContext>().basePath("/api");

// Signed links from e-mails, which mail clients may POST to with neither cookie nor Origin (email/unsubscribe.ts).
app.route("/email", unsubscribeRoutes);
app.use("*", dashboardCors, requireTrustedOrigin);
app.get("/health", async (c) => healthResponse(await checkHealth({ d1: d1Answers(c.env.DB), clickhouse: clickHouseAnswers(c.env) })));
app.route("/auth", authRoutes);
app.route("/auth/password-reset", passwordResetRoutes);
app.route("/share", publicShareRoutes);
app.route("/invitations", publicInvitationRoutes);
for (const path of ["/sites/*", "/users/*", "/keys/*", "/settings/*"]) app.use(path, requireUser);
app.use("/v2/*", requireCaller, statsRateLimit);
app.use("/v1/stats/*", requireCaller, statsRateLimit);
app.route("/sites", siteRoutes);
app.route("/sites", dataRoutes);
app.route("/sites/:siteId/members", memberRoutes);
app.route("/sites/:siteId/invitations", invitationRoutes);
app.route("/sites/:siteId/email", emailSettingsRoutes);
app.route("/sites/:siteId/goals", goalRoutes);
app.route("/sites/:siteId/annotations", annotationRoutes);
app.route("/sites/:siteId/reports", reportRoutes);
app.route("/sites/:siteId/share", shareRoutes);
app.route("/sites/:siteId/drops", dropRoutes);
app.route("/users", userRoutes);
app.route("/keys", keyRoutes);
app.route("/settings", settingsRoutes);
app.route("/v2", statsRoutes);
app.route("/v1/stats", v1StatsRoutes);

app.notFound((c) => c.json({ error: `no such route: ${c.req.method} ${c.req.path}` }, 404));
app.onError((error, c) => {
  if (error instanceof HTTPException && error.status < 500) return c.json({ error: error.message }, error.status);
  if (error instanceof MisconfiguredError) return c.json({ error: error.message }, 503);
  logFor(c.req.raw, "api").error("request failed", errorFields(error));
  return c.json({ error: "the api failed to answer; try again, and check the api Worker's logs if it persists" }, 500);
});
