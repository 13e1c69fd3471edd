import * as v from "valibot";

/** Funnels (docs/api.md, "Funnels"): their steps as the api and the dashboard read them, and their limits. */

export const MIN_FUNNEL_STEPS = 2;
export const MAX_FUNNEL_STEPS = 8;
/** Per site: a handful of journeys worth watching, few enough to list on one page. */
export const MAX_FUNNELS = 50;

const Name = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(max, `at most ${max} characters`));

/** One property an event step must carry, as `props[name] = value`. */
const PropertyMatch = v.strictObject({ name: Name(300), value: Name(2000) });

/** A pageview whose path matches (`*` matches any run, as in page goals), or a custom event by name. */
export const FunnelStep = v.variant(
  "kind",
  [
    v.strictObject({ kind: v.literal("page"), pagePath: v.pipe(v.string(), v.trim(), v.startsWith("/", "a page path starts with /"), v.maxLength(2048)) }),
    v.strictObject({ kind: v.literal("event"), eventName: Name(120), property: v.optional(PropertyMatch) }),
  ],
  "kind is page or event",
);

export type FunnelStep = v.InferOutput<typeof FunnelStep>;

export const FunnelSteps = v.pipe(
  v.array(FunnelStep),
  v.minLength(MIN_FUNNEL_STEPS, `a funnel has ${MIN_FUNNEL_STEPS} to ${MAX_FUNNEL_STEPS} steps`),
  v.maxLength(MAX_FUNNEL_STEPS, `a funnel has ${MIN_FUNNEL_STEPS} to ${MAX_FUNNEL_STEPS} steps`),
);

export const FunnelName = Name(200);

export interface Funnel {
  id: string;
  name: string;
  steps: FunnelStep[];
}

export interface FunnelStepReport {
  visitors: number;
  /** Percent of the first step's visitors who reached this step. */
  conversion_rate: number;
  /** Visitors who reached this step but not the next; null on the last step. */
  drop_off: number | null;
  /** Median time from the previous step, over the visits that took both; null on the first step or when none did. */
  median_ms_from_previous: number | null;
}

export interface FunnelReport {
  steps: FunnelStepReport[];
  /** Percent of the first step's visitors who reached the last step. */
  conversion_rate: number;
}

/** Where the visitors who dropped off after a step went next (docs/api.md, "Funnels"). */
export interface FunnelDropOff {
  /** The step (1-based) they reached and went no further than. */
  step: number;
  /** Each first page viewed after completing the step, '' when the visit ended there, by visitors, most first. */
  next_pages: { page: string; visitors: number }[];
}
