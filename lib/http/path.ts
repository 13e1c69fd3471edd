/**
 * `https://host/a/b?q#f` → `/a/b`, without parsing the URL: a Request's url is already normalized, and a
 * URL parse per request is a measurable share of the collector's work on a hit.
 */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.length;
  for (const mark of ["?", "#"]) {
    const at = url.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(start, end);
}
