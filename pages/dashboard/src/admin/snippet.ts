/** Where the collector sits on every site's own domain (PIXEL_BASE_PATH of the collector). */
export const DEFAULT_BASE_PATH = "/telemetry";

/** "/telemetry/", "telemetry" and "/telemetry" all mean /telemetry; empty means the default. */
export function collectorBasePath(configured: string | undefined): string {
  const trimmed = (configured ?? "").trim().replace(/^\/+|\/+$/g, "");
  return trimmed ? `/${trimmed}` : DEFAULT_BASE_PATH;
}

export interface SnippetSettings {
  scriptName: string;
  endpointName: string;
}

/** The tracking snippet of docs/tracker.md, for the site's script and endpoint names. */
export function buildSnippet(site: SnippetSettings, basePath = DEFAULT_BASE_PATH): string {
  const quote = (value: string) => JSON.stringify(value).replaceAll("<", "\\u003c");
  const endpoint = site.endpointName && site.endpointName !== "e" ? [`  _pixel.push(["config", "endpoint", ${quote(`/${site.endpointName}`)}]);`] : [];
  return [
    "<script>",
    "  var _pixel = (window._pixel = window._pixel || []);",
    `  _pixel.push(["config", "baseUrl", ${quote(basePath)}]);`,
    ...endpoint,
    '  _pixel.push(["track", "pageview"]);',
    "  (function () {",
    '    var js = document.createElement("script");',
    "    js.async = true;",
    `    js.src = ${quote(`${basePath}/${site.scriptName || "pixel.js"}`)};`,
    '    var f = document.getElementsByTagName("script")[0];',
    "    f.parentNode.insertBefore(js, f);",
    "  })();",
    "</script>",
  ].join("\n");
}
