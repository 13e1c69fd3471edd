import { encodeMessage, type QueueBody, type QueueMessage } from "../../../lib/events/message";

/** One message goes with `send`: a one-element `sendBatch` costs more (the batch is encoded again as a whole). */
export function queueMessages(queue: Queue<QueueBody>, messages: QueueMessage[]): Promise<unknown> {
  if (messages.length === 1) return queue.send(encodeMessage(messages[0]!), { contentType: "text" });
  return queue.sendBatch(messages.map((message) => ({ body: encodeMessage(message), contentType: "text" as const })));
}
