/** Where a hit came from, by Cloudflare's edge data. */
export interface EventGeo {
  country: string;
  region_code: string;
  region: string;
  city: string;
  continent: string;
  timezone: string;
  asn: number;
  as_org: string;
}

/** The visitor's software, parsed from the user agent. */
export interface EventSoftware {
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  device_type: string;
  device_vendor: string;
  device_model: string;
}

/**
 * An enriched hit: what the collector puts on the queue and the flusher writes, one column per field,
 * into ClickHouse `events`. It holds nothing that identifies a person: no raw IP, no full user agent.
 */
export interface EventRow extends EventGeo, EventSoftware {
  site_id: string;
  /** Milliseconds since epoch (UTC), corrected for the sender's clock. */
  timestamp: number;
  event_id: string;
  name: string;
  /** Decimal strings: UInt64 values do not fit a JS number. */
  visitor_id: string;
  session_id: string;
  user_id: string;
  hostname: string;
  pathname: string;
  query: string;
  title: string;
  referrer: string;
  referrer_host: string;
  channel: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  screen_width: number;
  scroll_depth: number;
  engaged_ms: number;
  props: Record<string, string>;
  ip_hash: string;
  retention_days: number;
}
