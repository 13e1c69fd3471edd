import { type QueueBody, unpackBody, utf8Bytes } from "@pixel/lib/events/message";

/** A queue message as it is kept in R2: enough to inspect it and to send it again. */
export interface KeptMessage {
  id: string;
  attempts: number;
  body: unknown;
  error?: string;
}

export interface KeptBatch {
  queue: string;
  kept_at: string;
  messages: KeptMessage[];
}

export type KeptKind = "dead" | "invalid";

/** Stores messages under `dead/` or `invalid/`, by UTC day, one object per batch. */
export async function keep(bucket: R2Bucket, kind: KeptKind, queue: string, messages: KeptMessage[], now = new Date()): Promise<string | null> {
  if (!messages.length) return null;
  const key = `${kind}/${now.toISOString().slice(0, 10)}/${now.getTime()}-${crypto.randomUUID()}.json`;
  await putBatch(bucket, key, { queue, kept_at: now.toISOString(), messages });
  return key;
}

const putBatch = (bucket: R2Bucket, key: string, batch: KeptBatch) =>
  bucket.put(key, JSON.stringify(batch), { httpMetadata: { contentType: "application/json" }, customMetadata: { messages: String(batch.messages.length) } });

/**
 * Takes the hits `isGone` picks out of every kept batch: a packed message loses those parts, a message with none
 * left goes, and a batch is written again without them, or deleted when no message is left. Returns how many went.
 */
export async function removeKept(bucket: R2Bucket, isGone: (part: unknown) => boolean): Promise<number> {
  let removed = 0;
  for (const kind of ["dead", "invalid"] satisfies KeptKind[]) {
    let cursor: string | undefined;
    do {
      const listed = await bucket.list({ prefix: `${kind}/`, cursor });
      for (const { key } of listed.objects) {
        const batch = await (await bucket.get(key))?.json<KeptBatch>();
        if (!batch) continue;
        const trimmed = batch.messages.map((message) => without(message, isGone));
        const gone = trimmed.reduce((sum, { removed }) => sum + removed, 0);
        if (!gone) continue;
        removed += gone;
        const messages = trimmed.flatMap(({ message }) => (message ? [message] : []));
        await (messages.length ? putBatch(bucket, key, { ...batch, messages }) : bucket.delete(key));
      }
      cursor = listed.truncated ? listed.cursor : undefined;
    } while (cursor);
  }
  return removed;
}

/** A kept message without the parts `isGone` picks (null when none is left), and how many went. */
function without(message: KeptMessage, isGone: (part: unknown) => boolean): { message: KeptMessage | null; removed: number } {
  const parts = unpackBody(message.body);
  const left = parts.filter((part) => !isGone(part));
  if (left.length === parts.length) return { message, removed: 0 };
  const body = left.length === 1 ? left[0] : left;
  return { message: left.length ? { ...message, body: typeof body === "string" ? body : JSON.stringify(body) } : null, removed: parts.length - left.length };
}

/** Kept batches of a kind and the messages in them (from each object's metadata; an older object without it counts as one). */
export async function countKept(bucket: R2Bucket, kind: KeptKind): Promise<{ batches: number; messages: number }> {
  const count = { batches: 0, messages: 0 };
  let cursor: string | undefined;
  do {
    const listed = await bucket.list({ prefix: `${kind}/`, cursor, include: ["customMetadata"] });
    for (const object of listed.objects) {
      count.batches += 1;
      count.messages += Number(object.customMetadata?.messages ?? 1) || 1;
    }
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
  return count;
}

export async function listKept(bucket: R2Bucket, kind: KeptKind, limit = 1000): Promise<string[]> {
  const listed = await bucket.list({ prefix: `${kind}/`, limit });
  return listed.objects.map((object) => object.key);
}

/** Queue limits: at most 100 messages and 256 KB per sendBatch, counted in UTF-8 bytes; stay under both. */
const MAX_MESSAGES = 100;
const MAX_BYTES = 200 * 1024;

export function sendChunks(bodies: unknown[]): QueueBody[][] {
  const chunks: QueueBody[][] = [];
  let chunk: QueueBody[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = utf8Bytes(typeof body === "string" ? body : JSON.stringify(body));
    if (chunk.length && (chunk.length >= MAX_MESSAGES || bytes + size > MAX_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(body as QueueBody);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/**
 * Sends the oldest dead-lettered batches back to the hits queue and deletes each once it is sent.
 * Replaying is safe to repeat: stored rows collapse by their ids.
 */
export async function replayDeadLetters(bucket: R2Bucket, queue: Queue<QueueBody>, maxBatches = 20) {
  const listed = await bucket.list({ prefix: "dead/", limit: maxBatches });
  let messages = 0;
  for (const object of listed.objects) {
    const stored = await bucket.get(object.key);
    if (!stored) continue;
    const batch = await stored.json<KeptBatch>();
    for (const chunk of sendChunks(batch.messages.map((message) => message.body))) {
      await queue.sendBatch(chunk.map((body) => ({ body, contentType: typeof body === "string" ? ("text" as const) : ("json" as const) })));
      messages += chunk.length;
    }
    await bucket.delete(object.key);
  }
  return { batches: listed.objects.length, messages, more: listed.truncated };
}
