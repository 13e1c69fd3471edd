/**
 * The hits queue, split into shards: one Cloudflare Queue takes 5,000 messages a second, so past that the collector
 * spreads requests over several queues, each with its own flusher consumer (docs/ingestion.md, "Past one queue").
 * Shard 0 is the original queue and binding, so a deploy that adds shards keeps its queue, its backlog and replay.
 */
export const HITS_QUEUE = "pixel-hits";
export const HITS_BINDING = "HITS";

/** Sharding stops where one deploy's configs stay reviewable; 16 queues take 80,000 messages a second. */
export const MAX_QUEUE_SHARDS = 16;

export const shardQueue = (shard: number) => (shard === 0 ? HITS_QUEUE : `${HITS_QUEUE}-${shard}`);
export const shardBinding = (shard: number) => (shard === 0 ? HITS_BINDING : `${HITS_BINDING}_${shard}`);

/** The shard of a key (a visitor id, a drop id), FNV-1a: the same key always lands on the same queue. */
export function shardOf(key: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}
