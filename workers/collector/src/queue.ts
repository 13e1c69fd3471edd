import type { QueueMessage } from "../../../lib/events/message";

/**
 * One message goes with `send`: a one-element `sendBatch` costs more (the batch is encoded again as a
 * whole). JSON keeps queued bodies readable in kept dead letters.
 */
export function queueMessages(queue: Queue<QueueMessage>, bodies: QueueMessage[]): Promise<unknown> {
  if (bodies.length === 1) return queue.send(bodies[0]!, { contentType: "json" });
  return queue.sendBatch(bodies.map((body) => ({ body, contentType: "json" as const })));
}
