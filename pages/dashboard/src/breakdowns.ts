import type { Filter, FilterDimension, Metric } from "./api/types";

export interface Tab {
  id: string;
  label: string;
  /** The column heading for the dimension's values. */
  column: string;
  dimension: FilterDimension;
  /** What the card shows; the first one orders it and draws its bars. */
  metrics: Metric[];
  /** What the full list shows. */
  detailMetrics: Metric[];
  filters?: Filter[];
  /** What an empty list means, when "nothing in this period" would mislead. */
  empty?: string;
  /** Shows the countries map above the list; the card then loads every country, not just its top rows. */
  map?: boolean;
}

export interface Card {
  id: string;
  title: string;
  tabs: Tab[];
}

const VISIT_DETAIL: Metric[] = ["visitors", "visits", "bounce_rate", "visit_duration"];

function visitTab(id: string, label: string, column: string, dimension: FilterDimension): Tab {
  return { id, label, column, dimension, metrics: ["visitors"], detailMetrics: VISIT_DETAIL };
}

/** The URLs or pages of one custom event the tracker sends, by visitors and events. */
function eventTab(id: string, label: string, column: string, dimension: FilterDimension, event: string, empty: string): Tab {
  return { id, label, column, dimension, metrics: ["visitors", "events"], detailMetrics: ["visitors", "events"], filters: [["is", "event:name", [event]]], empty };
}

export const CARDS: readonly Card[] = [
  {
    id: "sources",
    title: "Sources",
    tabs: [
      visitTab("channels", "Channels", "Channel", "visit:channel"),
      visitTab("sources", "Sources", "Source", "visit:source"),
      visitTab("referrers", "Referrers", "Referrer", "visit:referrer"),
      visitTab("utm_medium", "UTM medium", "Medium", "visit:utm_medium"),
      visitTab("utm_source", "UTM source", "Source", "visit:utm_source"),
      visitTab("utm_campaign", "UTM campaign", "Campaign", "visit:utm_campaign"),
      visitTab("utm_term", "UTM term", "Term", "visit:utm_term"),
      visitTab("utm_content", "UTM content", "Content", "visit:utm_content"),
    ],
  },
  {
    id: "pages",
    title: "Pages",
    tabs: [
      {
        id: "top",
        label: "Top pages",
        column: "Page",
        dimension: "event:page",
        metrics: ["visitors", "pageviews"],
        detailMetrics: ["visitors", "pageviews", "time_on_page", "scroll_depth"],
      },
      visitTab("entry", "Entry pages", "Entry page", "visit:entry_page"),
      visitTab("exit", "Exit pages", "Exit page", "visit:exit_page"),
    ],
  },
  {
    id: "locations",
    title: "Locations",
    tabs: [
      { ...visitTab("countries", "Countries", "Country", "visit:country"), map: true },
      visitTab("regions", "Regions", "Region", "visit:region"),
      visitTab("cities", "Cities", "City", "visit:city"),
    ],
  },
  {
    id: "devices",
    title: "Devices",
    tabs: [
      visitTab("browsers", "Browsers", "Browser", "visit:browser"),
      visitTab("os", "Operating systems", "OS", "visit:os"),
      visitTab("screens", "Screen sizes", "Screen size", "visit:screen"),
      {
        ...visitTab("webviews", "In-app browsers", "App", "visit:webview"),
        filters: [["is_not", "visit:webview", [""]]],
        empty: "No visits from an app's in-app browser (Instagram, Facebook, TikTok…) in this period.",
      },
    ],
  },
  {
    id: "visitor-types",
    title: "New vs returning",
    tabs: [
      {
        ...visitTab("visitor_types", "Visitor type", "Visitor type", "visit:visitor_type"),
        empty: "No visits in this period. A visit counts as new or returning only when its page loaded pixel.js.",
      },
    ],
  },
  {
    id: "goals",
    title: "Goals",
    tabs: [
      {
        id: "goals",
        label: "Goals",
        column: "Goal",
        dimension: "event:goal",
        metrics: ["visitors", "conversion_rate"],
        detailMetrics: ["visitors", "events", "conversion_rate"],
        empty: "No conversions in this period. Goals are set up per site; without any, this list stays empty.",
      },
      {
        id: "events",
        label: "Custom events",
        column: "Event",
        dimension: "event:name",
        metrics: ["visitors", "events"],
        detailMetrics: ["visitors", "events"],
        filters: [["is_not", "event:name", ["pageview", "engagement"]]],
        empty: "No custom events in this period. Send them with pixel.js to see them here.",
      },
      eventTab("outbound", "Outbound links", "Link", "event:props:url", "outbound", "No outbound link clicks in this period; pixel.js records them unless clickTracking is off."),
      eventTab("downloads", "File downloads", "File", "event:props:url", "download", "No file downloads in this period; pixel.js records them unless downloadTracking is off."),
      eventTab("not_found", "404 pages", "Page", "event:page", "404", "No 404 pages in this period. Mark your not-found page with the snippet in docs/tracker.md to see them here."),
    ],
  },
];

export const CARD_ROWS = 9;
/** Every country there is, for the map: one query fills both the map and the list. */
const MAP_ROWS = 300;

/** How many rows a card asks for on the overview. */
export function cardQueryLimit(tab: Tab): number {
  return tab.map ? MAP_ROWS : CARD_ROWS;
}

export const ALL_TABS: readonly Tab[] = CARDS.flatMap((card) => card.tabs);

export function findTab(id: string | null): Tab | undefined {
  return ALL_TABS.find((tab) => tab.id === id);
}

/** The tab a card shows: the one asked for if it belongs to the card, else its first. */
export function tabOf(card: Card, id: string | undefined): Tab {
  return card.tabs.find((tab) => tab.id === id) ?? card.tabs[0]!;
}

/** The tab that shows a dimension, for labelling filter chips. */
export function tabForDimension(dimension: string): Tab | undefined {
  return ALL_TABS.find((tab) => tab.dimension === dimension);
}
