import type { Shields } from "@pixel/lib/d1/schema";

export interface ShieldedHit {
  ip: string;
  country: string;
  hostname: string;
  pathname: string;
}

/** The shield a hit runs into, as the drop's detail (`ip`, `country`, `hostname`, `path`), or null. */
export function shieldFor(shields: Shields | undefined, hit: ShieldedHit): string | null {
  if (!shields) return null;
  if (shields.ipRanges.some((range) => inRange(hit.ip, range))) return "ip";
  if (shields.countries.includes(hit.country)) return "country";
  const host = hit.hostname.toLowerCase().replace(/^www\./, "");
  if (shields.hostnames.some((name) => name.toLowerCase().replace(/^www\./, "") === host)) return "hostname";
  if (shields.paths.some((pattern) => pathPattern(pattern).test(hit.pathname))) return "path";
  return null;
}

const patterns = new Map<string, RegExp>();

/** `/admin/*` → ^/admin/.*$ : `*` is any run of characters, everything else is literal. */
function pathPattern(pattern: string): RegExp {
  let compiled = patterns.get(pattern);
  if (!compiled) {
    const literal = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    compiled = new RegExp(`^${literal.join(".*")}$`);
    patterns.set(pattern, compiled);
  }
  return compiled;
}

/** Whether an IPv4 or IPv6 address lies in an address or CIDR range of the same family. */
export function inRange(ip: string, range: string): boolean {
  const [base, bits] = range.split("/");
  const address = parseIp(ip);
  const network = parseIp(base!);
  if (!address || !network || address.width !== network.width) return false;
  const prefix = bits === undefined ? address.width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > address.width) return false;
  const shift = BigInt(address.width - prefix);
  return address.value >> shift === network.value >> shift;
}

function parseIp(text: string): { value: bigint; width: 32 | 128 } | null {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const octets = text.split(".").map(Number);
    if (octets.some((octet) => octet > 255)) return null;
    return { value: octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n), width: 32 };
  }
  if (!text.includes(":") || !/^[0-9a-f:.]+$/i.test(text)) return null;
  const [head, tail, ...rest] = text.split("::");
  if (rest.length) return null;
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const left = groups(head);
  const right = groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  if (all.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return null;
  return { value: all.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n), width: 128 };
}
