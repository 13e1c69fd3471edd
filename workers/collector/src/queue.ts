import { isDrop, packMessages, type QueueBody, type QueueMessage } from "@pixel/lib/events/message";
import { MAX_QUEUE_SHARDS, shardBinding, shardOf } from "@pixel/lib/events/shards";
import type { CollectorEnv } from "./env";

/**
 * Queues one request's messages: packed into as few messages as fit (`packMessages`), on the shard of the
 * request's first visitor, so one visitor's hits share a queue and a consumer. One body goes with `send`: a
 * one-element `sendBatch` costs more (the batch is encoded again as a whole).
 */
export function queueMessages(env: CollectorEnv, messages: QueueMessage[]): Promise<unknown> {
  const queue = hitsQueue(env, shardKey(messages[0]!));
  const bodies = packMessages(messages);
  if (bodies.length === 1) return queue.send(bodies[0]!, { contentType: "text" });
  return queue.sendBatch(bodies.map((body) => ({ body, contentType: "text" as const })));
}

const shardKey = (message: QueueMessage) => (isDrop(message) ? message.drop_id : (message.visitor_id ?? message.event_id));

/** The queue of a key's shard among the bindings the deploy generated (`HITS`, `HITS_1` … `HITS_<n-1>`). */
function hitsQueue(env: CollectorEnv, key: string): Queue<QueueBody> {
  const shards = shardCount(env);
  return shards === 1 ? env.HITS : bound(env, shardOf(key, shards))!;
}

/** How many shards the bindings make: `HITS`, then `HITS_1`, `HITS_2` … while they are bound. */
function shardCount(env: CollectorEnv): number {
  let shards = 1;
  while (bound(env, shards)) shards++;
  return shards;
}

/**
 * The shard bindings missing: `HITS` itself, or one below the highest bound shard. Shards are counted while they
 * are bound, so a gap would quietly move visitors to other queues; the health check reports it instead.
 */
export function missingShardBindings(env: CollectorEnv): string[] {
  const present = Array.from({ length: MAX_QUEUE_SHARDS }, (_, shard) => Boolean(bound(env, shard)));
  const last = present.lastIndexOf(true);
  return present.flatMap((isBound, shard) => (!isBound && (shard === 0 || shard < last) ? [shardBinding(shard)] : []));
}

const bound = (env: CollectorEnv, shard: number) => (env as unknown as Record<string, Queue<QueueBody> | undefined>)[shardBinding(shard)];
