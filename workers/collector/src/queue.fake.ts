import type { QueueMessage } from "../../../lib/events/message";

/** For tests: a hits queue that only records what the collector sends, whether one by one or in batches. */
export function recordingQueue(into: QueueMessage[]): Queue<QueueMessage> {
  return {
    send: async (body: QueueMessage) => void into.push(body),
    sendBatch: async (batch: Iterable<{ body: QueueMessage }>) => void into.push(...[...batch].map((message) => message.body)),
  } as unknown as Queue<QueueMessage>;
}
