import { describe, expect, it } from "vitest";
import { queuesOf, readWorkerConfig } from "./workers";

describe("the flusher's queues", () => {
  it("gives the dead-letter queue a dead-letter queue of its own, which the flusher consumes and the deploy creates", () => {
    const flusher = readWorkerConfig("flusher");
    const consumer = (queue: string) => flusher.queueConsumers.find((entry) => entry.queue === queue);
    expect(consumer("pixel-hits")).toMatchObject({ dead_letter_queue: "pixel-hits-dead" });
    expect(consumer("pixel-hits-dead")).toMatchObject({ dead_letter_queue: "pixel-hits-dead-final" });
    expect(consumer("pixel-hits-dead-final")).toBeDefined();
    expect(flusher.raw.vars).toMatchObject({ DEAD_LETTER_QUEUE: "pixel-hits-dead", FINAL_DEAD_LETTER_QUEUE: "pixel-hits-dead-final" });
    expect(queuesOf(flusher)).toEqual(expect.arrayContaining(["pixel-hits", "pixel-hits-dead", "pixel-hits-dead-final"]));
  });
});
