import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { expect } from "vitest";
import { randomId } from "@pixel/lib/auth/ids";
import { createSite, createUser, grantSite } from "@pixel/lib/d1/accounts";
import type { Site, User } from "@pixel/lib/d1/schema";
import type { ApiEnv } from "@pixel/workers/api/src/env";
import worker from "@pixel/workers/api/src/index";

/** Helpers for the api's route tests: requests through the Worker itself, and fresh accounts and sites. */
export const apiEnv = env as unknown as ApiEnv;
export const PASSWORD = "correct horse battery staple";

export interface CallOptions {
  body?: unknown;
  cookie?: string;
  method?: string;
  headers?: Record<string, string>;
}

/** The api's own origin in these tests; the dashboard's pages send it as `Origin`, and so does `call` unless told otherwise. */
const API_ORIGIN = "http://pixel.test";

export async function call(path: string, init: CallOptions = {}, target: ApiEnv = apiEnv) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: API_ORIGIN, ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  const request = new Request(`${API_ORIGIN}/api${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const response = await worker.fetch(request, target);
  const text = await response.text();
  const json = response.headers.get("content-type")?.startsWith("application/json");
  return { status: response.status, headers: response.headers, text, json: text && json ? JSON.parse(text) : null };
}

export async function login(email: string, password = PASSWORD) {
  const response = await call("/auth/login", { body: { email, password } });
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

/** Unique per call: test files share one ClickHouse database, and D1 rows must not collide. */
export const unique = (label: string) => `${label}-${randomId(8)}`;

export const db = () => drizzle(apiEnv.DB);

export async function signedInUser(role: User["role"] = "user"): Promise<{ user: User; cookie: string }> {
  const user = await createUser(db(), { email: `${unique("user")}@pixel.test`, password: PASSWORD, role });
  return { user, cookie: await login(user.email) };
}

export const newSite = (timezone = "UTC"): Promise<Site> => createSite(db(), { domain: `${unique("site")}.example`, timezone });

/**
 * The access matrix: site A with an owner, an admin and a viewer; site B that none of them belong to;
 * a global admin who belongs to neither.
 */
export async function accessWorld() {
  const [a, b] = [await newSite(), await newSite()];
  const [owner, siteAdmin, viewer, globalAdmin] = [await signedInUser(), await signedInUser(), await signedInUser(), await signedInUser("admin")];
  await grantSite(db(), owner.user.id, a.id, "owner");
  await grantSite(db(), siteAdmin.user.id, a.id, "admin");
  await grantSite(db(), viewer.user.id, a.id, "viewer");
  return { a, b, owner, siteAdmin, viewer, globalAdmin };
}
