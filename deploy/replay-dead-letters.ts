import { parseCli } from "@pixel/lib/node/cli";

parseCli(
  "replay-dead-letters",
  `Puts dead-lettered hits back on the queue through the flusher's admin route, batch by batch, until none are left.

  PIXEL_FLUSHER_URL=https://pixel-flusher.<subdomain>.workers.dev PIXEL_ADMIN_TOKEN=… npm run replay-dead-letters`,
  { options: {} },
);
const flusher = process.env.PIXEL_FLUSHER_URL;
const token = process.env.PIXEL_ADMIN_TOKEN;

async function main() {
  if (!flusher || !token) {
    throw new Error("set PIXEL_FLUSHER_URL (the flusher Worker's address) and PIXEL_ADMIN_TOKEN (its admin secret)");
  }
  let total = 0;
  for (;;) {
    const response = await fetch(new URL("/admin/dead-letters/replay", flusher), {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`the flusher answered ${response.status}: ${await response.text()}`);
    const { batches, messages, more } = (await response.json()) as { batches: number; messages: number; more: boolean };
    total += messages;
    console.log(`replayed ${batches} batches, ${messages} hits (${total} so far)`);
    if (!more) break;
  }
  console.log(`done: ${total} dead-lettered hits are back on the queue`);
}

main().catch((error: Error) => {
  console.error(`replay stopped: ${error.message}`);
  process.exit(1);
});
