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
const PAID_SEARCH_CLICK_IDS = ["gclid", "gbraid", "wbraid", "msclkid", "yclid", "dclid"];
const PAID_SOCIAL_CLICK_IDS = ["ttclid", "twclid", "li_fat_id", "rdt_cid", "scclid"];
const PAID_MEDIUM = /^(cpc|ppc|paid|paid[_-]?search|paid[_-]?social|cpm|cpv|display|banner)$/i;
const EMAIL_MEDIUM = /^(e-?mail|newsletter)$/i;

/** Where the visit came from: referrer and campaign, classified into one channel. */
export function trafficFrom(page: URL, referrer: string | undefined, ownHost: (host: string) => boolean): Traffic {
  const utm = (key: string) => (page.searchParams.get(`utm_${key}`) ?? "").slice(0, 200);
  const from = parseUrl(referrer);
  const campaign = {
    utm_source: utm("source"),
    utm_medium: utm("medium"),
    utm_campaign: utm("campaign"),
    utm_term: utm("term"),
    utm_content: utm("content"),
  };
  const referrerHost = from ? from.hostname.replace(/^www\./, "") : "";
  return {
    referrer: from ? `${from.origin}${from.pathname}`.slice(0, 2048) : "",
    referrer_host: referrerHost,
    channel: channelOf(page, referrerHost, from ? ownHost(from.hostname) : false, campaign),
    ...campaign,
  };
}

function channelOf(
  page: URL,
  referrerHost: string,
  internal: boolean,
  campaign: { utm_source: string; utm_medium: string },
): Channel {
  const has = (keys: string[]) => keys.some((key) => page.searchParams.has(key));
  const searchish = SEARCH.test(referrerHost) || SEARCH_SOURCES.test(campaign.utm_source);
  const socialish = SOCIAL.test(referrerHost) || SOCIAL_SOURCES.test(campaign.utm_source);
  if (has(PAID_SEARCH_CLICK_IDS)) return "paid search";
  if (has(PAID_SOCIAL_CLICK_IDS)) return "paid social";
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
