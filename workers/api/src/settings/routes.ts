import { Hono } from "hono";
import * as v from "valibot";
import { requiredForEveryone, requireForEveryone } from "../auth/two-factor-store";
import { requireGlobalAdmin } from "../auth/session";
import type { ApiContext } from "../env";
import { jsonBody } from "../validate";

const SettingsChange = v.object({ requireTwoFactor: v.boolean() });

/** Settings for the whole installation: global admins only. */
export const settingsRoutes = new Hono<ApiContext>()
  .use(requireGlobalAdmin)
  .get("/", async (c) => c.json({ requireTwoFactor: await requiredForEveryone(c.env.DB) }))
  .put("/", jsonBody(SettingsChange), async (c) => {
    const { requireTwoFactor } = c.req.valid("json");
    await requireForEveryone(c.env.DB, requireTwoFactor);
    return c.json({ requireTwoFactor });
  });
