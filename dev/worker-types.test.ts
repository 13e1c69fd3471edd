import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WORKER_NAMES } from "@pixel/deploy/workers";
import { typesBody, workerTypesCurrent, workerTypesPath } from "./worker-types";

// A binding added to a wrangler config without `npm run types` fails here (and so in CI) instead of at deploy.
describe("each Worker's generated Env types", () => {
  it.each(WORKER_NAMES)("%s: worker-configuration.d.ts is what wrangler types makes of its config now", (worker) => {
    expect(workerTypesCurrent(worker)).toBe(true);
  }, 120_000);

  it("compares the declarations themselves, not the header's hash", () => {
    const committed = readFileSync(workerTypesPath("flusher"), "utf8");
    expect(typesBody(committed.replace("KEPT: R2Bucket;", ""))).not.toBe(typesBody(committed));
  });
});
