import type { Page } from "playwright-core";

/** Signs in through the dashboard's own login page, as a person would. */
export async function signIn(page: Page, dashboard: string, email: string, password: string): Promise<void> {
  await page.goto(`${dashboard}/login`);
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

/** Signs in to the api directly and returns the session cookie (`name=value`) to send with later requests. */
export async function apiSession(api: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${api}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: api },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}
