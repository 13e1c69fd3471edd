import { apiEnv } from "../test-support";

/** A message as Miniflare's `send_email` emulation stored it, parsed back: headers, and the two alternatives. */
export interface Received {
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

const mailbox = () => (apiEnv as unknown as { MAILBOX: Fetcher }).MAILBOX;

/** Every message sent to the address so far, oldest first. */
export async function inbox(address: string): Promise<Received[]> {
  const response = await mailbox().fetch(`http://mailbox/?to=${encodeURIComponent(address)}`);
  const raws = (await response.json()) as string[];
  return raws.map(parse);
}

export async function lastMessage(address: string): Promise<Received> {
  const messages = await inbox(address);
  if (!messages.length) throw new Error(`no e-mail was sent to ${address}`);
  return messages.at(-1)!;
}

/** The first link in the text part that starts with `prefix`. */
export function linkIn(message: Received, prefix: string): string {
  const link = message.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no link to ${prefix} in:\n${message.text}`);
  return link;
}

const decodeWords = (value: string) =>
  value.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, data: string) => new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0))));

function headersOf(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function parse(raw: string): Received {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const headers = headersOf(head);
  const boundary = headers["content-type"]?.match(/boundary="([^"]+)"/)?.[1];
  const parts: Record<string, string> = {};
  for (const part of boundary ? rest.join("\r\n\r\n").split(`--${boundary}`) : []) {
    const [partHead = "", ...body] = part.replace(/^\r\n/, "").split("\r\n\r\n");
    const type = headersOf(partHead)["content-type"]?.split(";")[0];
    const bytes = Uint8Array.from(atob(body.join("").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
    if (type) parts[type] = new TextDecoder().decode(bytes);
  }
  return { raw, headers, subject: decodeWords(headers.subject ?? ""), text: parts["text/plain"] ?? "", html: parts["text/html"] ?? "" };
}
