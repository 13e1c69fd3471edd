import { EmailMessage } from "cloudflare:email";
import { MisconfiguredError } from "../auth/session";
import type { ApiEnv } from "../env";
import { listUnsubscribe, toMime, type Message, type Sender } from "./mime";
import { senderAddress } from "./sender";

export type Provider = "cloudflare" | "resend" | "postmark";
export type Mailer = (message: Message) => Promise<void>;

const NOT_CONFIGURED =
  "e-mail is not configured: set PIXEL_EMAIL_FROM and either a send_email binding named EMAIL or PIXEL_EMAIL_PROVIDER with PIXEL_EMAIL_API_KEY (docs/deploy.md)";

function senderOf(env: ApiEnv): Sender {
  const from = env.PIXEL_EMAIL_FROM?.trim() ?? "";
  const address = senderAddress(from);
  if (!address) throw new MisconfiguredError(NOT_CONFIGURED);
  return { from, address };
}

/** How this deployment sends: chosen by PIXEL_EMAIL_PROVIDER, else the send_email binding. */
export function mailerFor(env: ApiEnv, fetcher: typeof fetch = fetch): Mailer {
  const sender = senderOf(env);
  const provider = (env.PIXEL_EMAIL_PROVIDER ?? "cloudflare") as Provider;
  if (provider === "cloudflare") {
    const binding = env.EMAIL;
    if (!binding) throw new MisconfiguredError(NOT_CONFIGURED);
    return async (message) => {
      await binding.send(new EmailMessage(sender.address, message.to, toMime(message, sender)));
    };
  }
  const key = env.PIXEL_EMAIL_API_KEY;
  if (!key || !(provider in PROVIDERS)) throw new MisconfiguredError(NOT_CONFIGURED);
  const request = PROVIDERS[provider as Exclude<Provider, "cloudflare">];
  return async (message) => {
    const response = await fetcher(...request(key, sender, message));
    if (!response.ok) throw new Error(`${provider} refused the message: ${response.status} ${(await response.text()).slice(0, 300)}`);
  };
}

const headersOf = (message: Message): Record<string, string> => (message.unsubscribeUrl ? listUnsubscribe(message.unsubscribeUrl) : {});

/** The providers' documented send endpoints: https://resend.com/docs/api-reference/emails/send-email, https://postmarkapp.com/developer/api/email-api. */
const PROVIDERS: Record<Exclude<Provider, "cloudflare">, (key: string, sender: Sender, message: Message) => [string, RequestInit]> = {
  resend: (key, sender, message) => [
    "https://api.resend.com/emails",
    {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ from: sender.from, to: [message.to], subject: message.subject, text: message.text, html: message.html, headers: headersOf(message) }),
    },
  ],
  postmark: (key, sender, message) => [
    "https://api.postmarkapp.com/email",
    {
      method: "POST",
      headers: { "x-postmark-server-token": key, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        From: sender.from,
        To: message.to,
        Subject: message.subject,
        TextBody: message.text,
        HtmlBody: message.html,
        Headers: Object.entries(headersOf(message)).map(([Name, Value]) => ({ Name, Value })),
        MessageStream: "outbound",
      }),
    },
  ],
};
