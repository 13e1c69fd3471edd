/** The hostname and every parent domain a site could claim it by: shop.example.com → [shop.example.com, example.com]. */
export function parentDomains(host: string): string[] {
  const labels = host.split(".");
  return labels.slice(0, Math.max(1, labels.length - 1)).map((_, i) => labels.slice(i).join("."));
}
