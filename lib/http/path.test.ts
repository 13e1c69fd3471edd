import { describe, expect, it } from "vitest";
import { pathOf } from "./path";

describe("pathOf", () => {
  it("gives what URL's pathname gives for request URLs", () => {
    for (const url of [
      "https://x.example/telemetry/e",
      "https://x.example/telemetry/e?u=https://y.example/a#b",
      "https://x.example/a#frag/with?marks",
      "http://user:pw@x.example:8080/a/b/",
      "http://[::1]:8787/api/x?y=1",
      "https://x.example/",
      new Request("https://x.example").url,
      new Request("https://x.example/a/../b/%7Efoo?x").url,
    ]) {
      expect(pathOf(url)).toBe(new URL(url).pathname);
    }
  });
});
