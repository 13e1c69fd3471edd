import { readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The messages Miniflare's `send_email` emulation wrote: each raw message lands in
 * `<tmpdir>/miniflare-<random>/files/email/<uuid>.eml` (its path is also printed in the Workers' log). Tests read
 * them here, newest last, picked out by recipient (tests use unique addresses, and several runs may share tmpdir).
 */
export async function sentTo(address: string): Promise<string[]> {
  const found: { raw: string; time: number }[] = [];
  for (const dir of await readdir(tmpdir()).catch(() => [])) {
    if (!dir.startsWith("miniflare-")) continue;
    const folder = join(tmpdir(), dir, "files", "email");
    for (const file of await readdir(folder).catch(() => [])) {
      const path = join(folder, file);
      const raw = await readFile(path, "utf8").catch(() => "");
      if (recipientOf(raw) === address.toLowerCase()) found.push({ raw, time: (await stat(path)).mtimeMs });
    }
  }
  return found.sort((a, b) => a.time - b.time).map((message) => message.raw);
}

const recipientOf = (raw: string) => raw.match(/^To: (.*)$/m)?.[1]?.trim().toLowerCase();

/** For the Workers' tests: a service binding answering `GET /?to=address` with the raw messages as a JSON array. */
export async function mailboxBinding(request: Request): Promise<Response> {
  const to = new URL(request.url).searchParams.get("to");
  if (!to) return Response.json({ error: "to: which address?" }, { status: 400 });
  return Response.json(await sentTo(to));
}
