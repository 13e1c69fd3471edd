/** What every message carries, whichever way it is sent. */
export interface Message {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Reports and alerts: the link that stops them, also as `List-Unsubscribe` for mail clients' own button. */
  unsubscribeUrl?: string;
}

export interface Sender {
  /** `pixel@example.com` or `Pixel <pixel@example.com>`. */
  from: string;
  address: string;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
/** RFC 2047: a header value that may hold any character. */
const encodedWord = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${base64(utf8(text))}?=`);
const wrapped = (text: string) => base64(utf8(text)).replace(/.{76}/g, "$&\r\n");
const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");

export const listUnsubscribe = (url: string) => ({ "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });

/** The message as RFC 5322 MIME: plain text and HTML as alternatives, both base64 so no line is too long. */
export function toMime(message: Message, sender: Sender, now = new Date()): string {
  const boundary = `pixel-${crypto.randomUUID()}`;
  const headers: Record<string, string> = {
    From: sender.from,
    To: message.to,
    Subject: encodedWord(oneLine(message.subject)),
    Date: now.toUTCString().replace("GMT", "+0000"),
    "Message-ID": `<${crypto.randomUUID()}@${sender.address.split("@")[1]}>`,
    "MIME-Version": "1.0",
    ...(message.unsubscribeUrl ? listUnsubscribe(message.unsubscribeUrl) : {}),
    "Content-Type": `multipart/alternative; boundary="${boundary}"`,
  };
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, "Content-Transfer-Encoding: base64", "", wrapped(body)].join("\r\n");
  return [
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    "",
    part("text/plain", message.text),
    part("text/html", message.html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}
