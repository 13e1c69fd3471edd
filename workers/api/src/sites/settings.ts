import * as v from "valibot";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

export const Hostname = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(HOSTNAME, "is not a hostname (letters, digits, hyphens and dots, like shop.example.com)"),
);

/** A site's domain or extra hostname; `www.` is dropped, since the collector treats it as the bare name. */
export const Domain = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.transform((domain) => domain.replace(/^www\./, "")),
  v.regex(HOSTNAME, "is not a domain name (like shop.example.com; no scheme, port or path)"),
);

export const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const TimeZone = v.pipe(v.string(), v.check(isTimeZone, "is not an IANA time zone (like Europe/Berlin or UTC)"));

function isCidr(range: string): boolean {
  const [address, bits, extra] = range.split("/");
  if (!address || extra !== undefined || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return false;
  if (address.includes(":")) {
    if (Number(bits ?? 128) > 128) return false;
    try {
      new URL(`http://[${address}]/`);
      return true;
    } catch {
      return false;
    }
  }
  const octets = address.split(".");
  return octets.length === 4 && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255) && Number(bits ?? 32) <= 32;
}

const list = <T extends v.GenericSchema<string, string>>(item: T) => v.optional(v.pipe(v.array(item), v.maxLength(500)), []);

export const Shields = v.strictObject({
  ipRanges: list(v.pipe(v.string(), v.trim(), v.check(isCidr, "is not an IP address or CIDR range (like 203.0.113.0/24)"))),
  countries: list(v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, "is not a two-letter country code"))),
  paths: list(v.pipe(v.string(), v.trim(), v.startsWith("/", "paths start with /"), v.maxLength(2048))),
  hostnames: list(Hostname),
});

export const SiteSettings = v.strictObject({
  domain: v.optional(Domain),
  name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  timezone: v.optional(TimeZone),
  hostnames: v.optional(v.pipe(v.array(Domain), v.maxLength(100), v.transform((names) => [...new Set(names)]))),
  retentionDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(36_500))),
  scriptName: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,62}\.js$/i, "is a file name ending in .js"))),
  endpointName: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, "is one path segment of letters, digits, - and _"))),
  shields: v.optional(Shields),
});

export const NewSite = v.strictObject({ ...SiteSettings.entries, domain: Domain });
