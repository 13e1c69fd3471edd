import type { Page } from "playwright-core";

/** Signs in through the dashboard's own login page, as a person would. */
export async function signIn(page: Page, dashboard: string, email: string, password: string): Promise<void> {
  await page.goto(`${dashboard}/login`);
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}
