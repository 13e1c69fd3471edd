export interface Traffic {
  referrer: string;
  referrer_host: string;
  channel: Channel;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
}

export type Channel =
  | "direct"
  | "internal"
  | "organic search"
  | "paid search"
  | "organic social"
  | "paid social"
  | "email"
  | "referral";

const SEARCH = /(^|\.)(google\.[a-z.]+|bing\.com|duckduckgo\.com|yahoo\.[a-z.]+|yandex\.[a-z.]+|ya\.ru|baidu\.com|ecosia\.org|search\.brave\.com|startpage\.com|qwant\.com|naver\.com|seznam\.cz|kagi\.com|go\.mail\.ru)$/;
const SOCIAL = /(^|\.)(facebook\.com|fb\.com|instagram\.com|t\.co|twitter\.com|x\.com|linkedin\.com|lnkd\.in|reddit\.com|pinterest\.[a-z.]+|youtube\.com|tiktok\.com|news\.ycombinator\.com|threads\.net|bsky\.app|vk\.com|t\.me|whatsapp\.com|mastodon\.social)$/;
const SEARCH_SOURCES = /^(google|bing|duckduckgo|yahoo|yandex|baidu|ecosia|brave|qwant|naver|kagi)$/i;
const SOCIAL_SOURCES = /^(facebook|fb|instagram|ig|twitter|x|linkedin|reddit|pinterest|youtube|tiktok|threads|bluesky|mastodon|vk|telegram|whatsapp)$/i;
const CLICK_IDS = new Map<string, Channel>([
  ...["gclid", "gbraid", "wbraid", "msclkid", "yclid", "dclid"].map((id) => [id, "paid search"] as const),
  ...["ttclid", "twclid", "li_fat_id", "rdt_cid", "scclid"].map((id) => [id, "paid social"] as const),
]);
const PAID_MEDIUM = /^(cpc|ppc|paid|paid[_-]?search|paid[_-]?social|cpm|cpv|display|banner)$/i;
const EMAIL_MEDIUM = /^(e-?mail|newsletter)$/i;

type Campaign = Pick<Traffic, "utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content">;
const UTM_FIELDS = new Set<string>(["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]);

/** Where the visit came from: referrer and campaign, classified into one channel. */
export function trafficFrom(page: URL, referrer: string | undefined, ownHost: (host: string) => boolean): Traffic {
  const { campaign, clicked } = campaignOf(page);
  const from = parseUrl(referrer);
  const referrerHost = from ? from.hostname.replace(/^www\./, "") : "";
  return {
    referrer: from ? `${from.origin}${from.pathname}`.slice(0, 2048) : "",
    referrer_host: referrerHost,
    channel: clicked ?? channelOf(referrerHost, from ? ownHost(from.hostname) : false, campaign),
    ...campaign,
  };
}

/**
 * The page's UTM fields (the first of each, as `searchParams.get` gives) and the paid channel its click ids
 * name (paid search before paid social), in one pass over its query.
 */
function campaignOf(page: URL): { campaign: Campaign; clicked: Channel | undefined } {
  const found: Partial<Campaign> = {};
  let clicked: Channel | undefined;
  if (page.search) {
    for (const [key, value] of page.searchParams) {
      if (UTM_FIELDS.has(key)) found[key as keyof Campaign] ??= value.slice(0, 200);
      const channel = CLICK_IDS.get(key);
      if (channel === "paid search" || !clicked) clicked = channel;
    }
  }
  const { utm_source = "", utm_medium = "", utm_campaign = "", utm_term = "", utm_content = "" } = found;
  return { campaign: { utm_source, utm_medium, utm_campaign, utm_term, utm_content }, clicked };
}

function channelOf(referrerHost: string, internal: boolean, campaign: Campaign): Channel {
  const searchish = SEARCH.test(referrerHost) || SEARCH_SOURCES.test(campaign.utm_source);
  const socialish = SOCIAL.test(referrerHost) || SOCIAL_SOURCES.test(campaign.utm_source);
  if (PAID_MEDIUM.test(campaign.utm_medium)) return socialish && !searchish ? "paid social" : "paid search";
  if (EMAIL_MEDIUM.test(campaign.utm_medium) || /^e-?mail$/i.test(campaign.utm_source)) return "email";
  if (internal && !campaign.utm_source) return "internal";
  if (searchish) return "organic search";
  if (socialish) return "organic social";
  if (referrerHost || campaign.utm_source) return "referral";
  return "direct";
}

function parseUrl(value: string | undefined): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** Whether a hostname is the site's own: its domain, a subdomain of it, or one of its extra hostnames. */
export function belongsToSite(site: { domain: string; hostnames: string[] }, hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^www\./, "");
  return host === site.domain || host.endsWith(`.${site.domain}`) || site.hostnames.includes(host);
}

/** A visit's source as `visit:source` reads it from the visit's first hit: its campaign's source, else its referrer's host. */
export function sourceOf(traffic: Pick<Traffic, "utm_source" | "referrer_host">): string {
  return traffic.utm_source || traffic.referrer_host || "Direct / None";
}
