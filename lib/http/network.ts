/**
 * The network an address belongs to, as rate limits count it: its /24 for IPv4, its /64 for IPv6 (one customer's
 * allocation, so a single client cannot dodge a limit by hopping addresses). IPv4-mapped IPv6 counts as IPv4.
 * Anything unparsable is its own network.
 */
export function networkOf(ip: string): string {
  const address = ip.trim().toLowerCase();
  const mapped = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(address);
  if (mapped) return `${mapped.slice(1, 4).map(Number).join(".")}.0/24`;
  return ipv6Network(address) ?? address;
}

/** The /64 an IPv6 address belongs to, written one way whatever the address's spelling; undefined for anything else. */
export function ipv6Network(ip: string): string | undefined {
  const groups = ipv6Groups(ip.trim().toLowerCase());
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : undefined;
}

function ipv6Groups(address: string): string[] | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const [head, tail] = halves.map((half) => (half ? half.split(":") : []));
  const missing = 8 - head!.length - (tail?.length ?? 0);
  if (tail ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head!, ...Array<string>(tail ? missing : 0).fill("0"), ...(tail ?? [])];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => parseInt(group, 16).toString(16));
}
