import { describe, expect, it } from "vitest";
import type { ApiEnv } from "../env";
import { apiEnv, call } from "@pixel/test/support/workers/api";
import { toMime } from "./mime";
import { invitationMessage, passwordResetMessage } from "./render";
import { mailerFor } from "./send";
import { parseMessage } from "@pixel/test/support/mime";

const message = { ...passwordResetMessage("ada@pixel.test", "https://pixel.example/reset-password#pxr_1", 60), unsubscribeUrl: "https://pixel.example/u?token=x" };

/** What a provider's API is sent; the providers themselves are not reachable from here. */
async function requestTo(env: Partial<ApiEnv>) {
  const sent: Request[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response("{}", { status: 200 });
  }) as typeof fetch;
  await mailerFor({ ...apiEnv, EMAIL: undefined, ...env }, fetcher)(message);
  return { request: sent[0]!, body: (await sent[0]!.json()) as Record<string, any> };
}

describe("sending", () => {
  it("writes MIME that mail readers decode: any characters in the subject, text and HTML alternatives", () => {
    const raw = toMime({ ...message, subject: "Grüße, <Ada>\r\nBcc: evil@example" }, { from: "Pixel <pixel@pixel.test>", address: "pixel@pixel.test" });
    const parsed = parseMessage(raw);
    expect(parsed.subject).toBe("Grüße, <Ada> Bcc: evil@example");
    expect(parsed.headers.bcc).toBeUndefined();
    expect(parsed.headers["message-id"]).toMatch(/^<[0-9a-f-]+@pixel\.test>$/);
    expect(parsed.text).toBe(message.text);
    expect(parsed.html).toBe(message.html);
    expect(raw.split("\r\n").every((line) => line.length <= 998)).toBe(true);
  });

  it("escapes what users wrote (site names, their names) in the HTML, and links nothing else", () => {
    const link = "https://pixel.example/invitation#pxi_1";
    const html = invitationMessage("bo@pixel.test", { siteName: '<img src=x onerror="alert(1)">', role: "viewer", invitedBy: "Ada & Co", link, validDays: 7 }).html;
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("Ada &amp; Co");
    expect(html).not.toMatch(/<img/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1])).toEqual([link]);
  });

  it("sends through Resend or Postmark when configured, with the key from the environment", async () => {
    const resend = await requestTo({ PIXEL_EMAIL_PROVIDER: "resend", PIXEL_EMAIL_API_KEY: "re_key" });
    expect(resend.request.url).toBe("https://api.resend.com/emails");
    expect(resend.request.headers.get("authorization")).toBe("Bearer re_key");
    expect(resend.body).toMatchObject({ from: "Pixel <pixel@pixel.test>", to: ["ada@pixel.test"], subject: message.subject, text: message.text, html: message.html });
    expect(resend.body.headers["List-Unsubscribe"]).toBe("<https://pixel.example/u?token=x>");

    const postmark = await requestTo({ PIXEL_EMAIL_PROVIDER: "postmark", PIXEL_EMAIL_API_KEY: "pm_key" });
    expect(postmark.request.url).toBe("https://api.postmarkapp.com/email");
    expect(postmark.request.headers.get("x-postmark-server-token")).toBe("pm_key");
    expect(postmark.body).toMatchObject({ From: "Pixel <pixel@pixel.test>", To: "ada@pixel.test", TextBody: message.text, HtmlBody: message.html, MessageStream: "outbound" });
  });

  it("answers 503 naming what to set when e-mail is not configured", async () => {
    const unconfigured = { ...apiEnv, PIXEL_EMAIL_FROM: undefined } as ApiEnv;
    const response = await call("/auth/password-reset", { body: { email: "someone@pixel.test" } }, unconfigured);
    expect(response.status).toBe(503);
    expect(response.json.error).toMatch(/^e-mail is not configured: set PIXEL_EMAIL_FROM/);
    expect(() => mailerFor({ ...apiEnv, PIXEL_EMAIL_PROVIDER: "sendgrid", PIXEL_EMAIL_API_KEY: "k" })).toThrow(/e-mail is not configured/);
  });
});
