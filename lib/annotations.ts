/** Annotations (docs/api.md, "Annotations"): their shape in the api and their limits, for the api and the dashboard. */

export interface Annotation {
  id: string;
  /** A calendar day, `YYYY-MM-DD`, in the site's timezone. */
  date: string;
  text: string;
}

/** Per site: enough for years of release notes, few enough that the chart always gets all of them at once. */
export const MAX_ANNOTATIONS = 1000;
export const MAX_ANNOTATION_LENGTH = 200;
