import type { ImportReport } from "@pixel/lib/import/split";

/** A signed-in session with a Pixel dashboard's origin, the way the dashboard itself talks to the api. */
export interface PixelSession {
  upload(site: string, csv: string): Promise<ImportReport | { retry: string }>;
}

export interface Credentials {
  email: string;
  password: string;
  /** Asked for only when the account signs in with a second factor. */
  code: () => Promise<string>;
}

/** Signs in (with the second factor when the account has one) and keeps the session cookie. */
export async function signIn(origin: string, credentials: Credentials): Promise<PixelSession> {
  const base = new URL(origin).origin;
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${base}${path}`, {
      method: "POST",
      // The api refuses cookie requests whose Origin is not its own (CSRF); this is a first-party client.
      headers: { "content-type": "application/json", origin: base, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  let answer = await post("/api/auth/login", { email: credentials.email, password: credentials.password });
  let body = (await answer.json().catch(() => ({}))) as { error?: string; secondFactor?: { kind: string; token: string } };
  if (answer.ok && body.secondFactor) {
    if (body.secondFactor.kind !== "code") throw new Error("this account must set up two-factor sign-in first: sign in once in the dashboard");
    answer = await post("/api/auth/login/verify", { token: body.secondFactor.token, code: (await credentials.code()).trim() });
    body = (await answer.json().catch(() => ({}))) as typeof body;
  }
  if (!answer.ok) throw new Error(`sign-in refused (${answer.status}): ${body.error ?? "no reason given"}`);
  const cookie = answer.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  if (!cookie) throw new Error(`${base} signed in without a session cookie: is it a Pixel dashboard's address?`);
  return {
    async upload(site, csv) {
      const response = await fetch(`${base}/api/sites/${encodeURIComponent(site)}/imports`, {
        method: "POST",
        headers: { "content-type": "text/csv", origin: base, cookie },
        body: csv,
      });
      if (response.ok) return (await response.json()) as ImportReport;
      const error = ((await response.json().catch(() => ({}))) as { error?: string }).error ?? response.statusText;
      if (response.status >= 500 || response.status === 429) return { retry: `the api answered ${response.status}: ${error}` };
      throw new Error(`the api refused the part (${response.status}): ${error}`);
    },
  };
}
