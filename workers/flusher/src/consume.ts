import type { ClickHouseClient } from "@clickhouse/client-web";
import { clickHouseConfigFromEnv, connectClickHouse } from "@pixel/lib/clickhouse/client";
import { checkMessage, type DropMessage, unpackBody } from "@pixel/lib/events/message";
import type { EventRow } from "@pixel/lib/clickhouse/tables/events";
import type { FlusherEnv } from "./env";
import { DROPPED_HITS } from "@pixel/lib/clickhouse/tables/dropped-hits";
import { EVENTS } from "@pixel/lib/clickhouse/tables/events";
import { insertIsolating, type Rejected, type Table } from "@pixel/lib/clickhouse/insert";
import { asFirstStored } from "./first-stored";
import { forgottenSites, isForgotten } from "./forgotten";
import { keep, type KeptMessage } from "./kept";
import { createLogger, errorFields, type Logger } from "@pixel/lib/log/log";

export const retryDelaySeconds = (attempts: number) => Math.min(2 ** attempts, 300);

type Incoming = Message<unknown>;

/** One stored unit of a message: the message itself, or one of a pack's messages (`packMessages`). */
interface Part {
  message: Incoming;
  body: unknown;
}

/** A part that can never be stored, kept in R2 with why. */
interface Refused {
  message: Incoming;
  kept: KeptMessage;
}

/**
 * Stores a batch from a hits queue (any shard). Parts that can never be stored (schema-invalid, or refused by
 * ClickHouse as data) are kept in R2 under `invalid/`; the rest is written with one INSERT per table. A message is
 * acknowledged once every part of it is stored or kept, and retried whole, with backoff, when ClickHouse is
 * unavailable: its parts already stored collapse by their ids when it comes again.
 */
export async function consumeHits(batch: MessageBatch<unknown>, env: FlusherEnv, log: Logger = createLogger("flusher")): Promise<void> {
  const events: Sorted<EventRow> = new Map();
  const drops: Sorted<DropMessage> = new Map();
  const refused: Refused[] = [];
  for (const message of batch.messages) {
    const bodies = unpackBody(message.body);
    for (const body of bodies) {
      const part = { message, body: bodies.length > 1 ? body : message.body };
      const checked = checkMessage(body);
      if (checked.kind === "event") events.set(checked.row, part);
      else if (checked.kind === "drop") for (const drop of checked.drops) drops.set(drop, part);
      else refused.push(refusedPart(part, checked.error));
    }
  }
  const retried = new Set<Incoming>();
  try {
    refused.push(...(await store(env, events, drops)));
  } catch (error) {
    retry(messagesOf([...events.values(), ...drops.values()]), error, log, retried);
  }
  await setAside(env, batch, refused.filter(({ message }) => !retried.has(message)), log, retried);
  for (const message of batch.messages) if (!retried.has(message)) message.ack();
}

/** Kept before its message is acknowledged: a part is never dropped without a trace. */
async function setAside(env: FlusherEnv, batch: MessageBatch<unknown>, refused: Refused[], log: Logger, retried: Set<Incoming>) {
  try {
    await keep(env.KEPT, "invalid", batch.queue, refused.map(({ kept }) => kept));
  } catch (error) {
    retry(messagesOf(refused), error, log, retried);
  }
}

type Sorted<T> = Map<T, Part>;

const messagesOf = (parts: { message: Incoming }[]) => [...new Set(parts.map(({ message }) => message))];

/** Hits of sites whose data was deleted are acknowledged without being stored (forgotten.ts). */
async function store(env: FlusherEnv, events: Sorted<EventRow>, drops: Sorted<DropMessage>): Promise<Refused[]> {
  const client = connectClickHouse(clickHouseConfigFromEnv(env));
  try {
    const forgotten = await forgottenSites(client, [...new Set([...events.keys(), ...drops.keys()].map((hit) => hit.site_id))]);
    const remembered = <T extends { site_id: string; timestamp: number }>(sorted: Sorted<T>): Sorted<T> =>
      new Map([...sorted].filter(([hit]) => !isForgotten(forgotten, hit)));
    return [
      ...(await insertSorted(client, EVENTS, await asFirstStoredSorted(client, remembered(events)))),
      ...(await insertSorted(client, DROPPED_HITS, remembered(drops))),
    ];
  } finally {
    await client.close();
  }
}

async function asFirstStoredSorted(client: ClickHouseClient, events: Sorted<EventRow>): Promise<Sorted<EventRow>> {
  const rows = [...events.keys()];
  return new Map((await asFirstStored(client, rows)).map((row, i) => [row, events.get(rows[i]!)!]));
}

async function insertSorted<T>(client: ClickHouseClient, table: Table<T>, sorted: Sorted<T>): Promise<Refused[]> {
  const rejected: Rejected<T>[] = await insertIsolating(client, table, [...sorted.keys()]);
  return rejected.map(({ row, error }) => refusedPart(sorted.get(row)!, error));
}

const keptFrom = (message: Incoming, error: string): KeptMessage => ({ id: message.id, attempts: message.attempts, body: message.body, error });
const refusedPart = ({ message, body }: Part, error: string): Refused => ({ message, kept: { ...keptFrom(message, error), body } });

function retry(messages: Incoming[], error: unknown, log: Logger, retried: Set<Incoming>) {
  if (!messages.length) return;
  for (const message of messages) retried.add(message);
  const attempts = Math.max(...messages.map((message) => message.attempts));
  log.error("storing failed; messages will be retried", { attempts, count: messages.length, ...errorFields(error) });
  for (const message of messages) message.retry({ delaySeconds: retryDelaySeconds(attempts) });
}

/** Dead-lettered batches are kept whole in R2 under `dead/` until someone replays them. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: FlusherEnv): Promise<void> {
  await keep(env.KEPT, "dead", batch.queue, batch.messages.map((message) => keptFrom(message, "")));
  batch.ackAll();
}

/**
 * The dead-letter queue's own dead letters (R2 refused them ten times): kept like the others when R2 takes them now,
 * else written whole into one error line of the Workers Logs, from which they can be sent again by hand.
 */
export async function consumeFinalDeadLetters(batch: MessageBatch<unknown>, env: FlusherEnv, log: Logger): Promise<void> {
  try {
    await consumeDeadLetters(batch, env);
  } catch (error) {
    const messages = batch.messages.map((message) => keptFrom(message, ""));
    log.error("dead letters could not be kept in R2: their bodies are in this line", { queue: batch.queue, count: messages.length, messages, ...errorFields(error) });
    batch.ackAll();
  }
}
