import { parseMessage, type Received } from "../mime";
import { apiEnv } from "./api";

export { linkIn } from "../mime";

/** The test-only MAILBOX binding (vitest.config.ts) reads what Miniflare's `send_email` emulation stored. */
const mailbox = () => (apiEnv as unknown as { MAILBOX: Fetcher }).MAILBOX;

/** Every message sent to the address so far, oldest first. */
export async function inbox(address: string): Promise<Received[]> {
  const response = await mailbox().fetch(`http://mailbox/?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as string[]).map(parseMessage);
}

export async function lastMessage(address: string): Promise<Received> {
  const messages = await inbox(address);
  if (!messages.length) throw new Error(`no e-mail was sent to ${address}`);
  return messages.at(-1)!;
}
