import type { EventGeo } from "@pixel/lib/clickhouse/tables/events";

/** Location from Cloudflare's edge data. Coordinates and postal codes are never kept. */
export function geoFrom(cf: IncomingRequestCfProperties | undefined): EventGeo {
  const field = (value: unknown, max = 100) => (typeof value === "string" ? value.slice(0, max) : "");
  const country = field(cf?.country, 2).toUpperCase();
  return {
    country: country === "XX" || country === "T1" ? "" : country,
    region_code: field(cf?.regionCode, 10),
    region: field(cf?.region),
    city: field(cf?.city),
    continent: field(cf?.continent, 2),
    timezone: field(cf?.timezone, 64),
    asn: typeof cf?.asn === "number" ? cf.asn : 0,
    as_org: field(cf?.asOrganization),
  };
}
