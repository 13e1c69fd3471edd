/** A message as Pixel writes it (multipart/alternative, base64 parts), parsed back: headers and both alternatives. */
export interface Received {
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

const fromBase64 = (data: string) => new TextDecoder().decode(Uint8Array.from(atob(data.replace(/\s+/g, "")), (c) => c.charCodeAt(0)));
const decodeWords = (value: string) => value.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, data: string) => fromBase64(data));

function headersOf(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function parseMessage(raw: string): Received {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const headers = headersOf(head);
  const boundary = headers["content-type"]?.match(/boundary="([^"]+)"/)?.[1];
  const parts: Record<string, string> = {};
  for (const part of boundary ? rest.join("\r\n\r\n").split(`--${boundary}`) : []) {
    const [partHead = "", ...body] = part.replace(/^\r\n/, "").split("\r\n\r\n");
    const type = headersOf(partHead)["content-type"]?.split(";")[0];
    if (type) parts[type] = fromBase64(body.join(""));
  }
  return { raw, headers, subject: decodeWords(headers.subject ?? ""), text: parts["text/plain"] ?? "", html: parts["text/html"] ?? "" };
}

/** The first link in the text part that starts with `prefix`. */
export function linkIn(message: Received, prefix: string): string {
  const link = message.text.split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no link to ${prefix} in:\n${message.text}`);
  return link;
}
