import { describe, expect, it } from "vitest";
import { buildSnippet, collectorBasePath } from "./snippet";

describe("buildSnippet", () => {
  it("is the documented snippet for the default names", () => {
    const snippet = buildSnippet({ scriptName: "pixel.js", endpointName: "e" });
    expect(snippet).toContain('_pixel.push(["config", "baseUrl", "/telemetry"]);');
    expect(snippet).toContain('js.src = "/telemetry/pixel.js";');
    expect(snippet).not.toContain('"endpoint"');
    expect(snippet.startsWith("<script>")).toBe(true);
    expect(snippet.endsWith("</script>")).toBe(true);
  });

  it("uses the site's script and endpoint names under the base path", () => {
    const snippet = buildSnippet({ scriptName: "stats.js", endpointName: "collect" }, "/metrics");
    expect(snippet).toContain('js.src = "/metrics/stats.js";');
    expect(snippet).toContain('_pixel.push(["config", "endpoint", "/collect"]);');
    expect(snippet).toContain('"baseUrl", "/metrics"');
  });

  it("never closes its own script tag early", () => {
    const snippet = buildSnippet({ scriptName: "a</script>.js", endpointName: "e" });
    expect(snippet.match(/<\/script>/g)).toHaveLength(1);
  });
});

describe("collectorBasePath", () => {
  it("normalizes slashes and falls back to /telemetry", () => {
    expect(collectorBasePath(undefined)).toBe("/telemetry");
    expect(collectorBasePath("")).toBe("/telemetry");
    expect(collectorBasePath("/")).toBe("/telemetry");
    expect(collectorBasePath("stats/")).toBe("/stats");
    expect(collectorBasePath("/a/b/")).toBe("/a/b");
  });
});
