import type { Annotation } from "@pixel/lib/annotations";
import type { Interval } from "./api/types";

export type { Annotation };

/** Where an annotation goes on the chart: the index of its bucket, with every note of that bucket. */
export interface AnnotationMark {
  index: number;
  text: string;
}

/**
 * The chart's marks: each annotation within the answer's date range goes to the bucket its day starts in (the
 * last bucket key at or before it), and notes sharing a bucket share a mark.
 */
export function annotationMarks(annotations: Annotation[], keys: string[], interval: Interval, dateRange: [string, string]): AnnotationMark[] {
  const [from, to] = dateRange.map((end) => end.slice(0, 10));
  const texts = new Map<number, string[]>();
  for (const { date, text } of annotations) {
    if (date < from! || date > to!) continue;
    const start = interval === "hour" || interval === "minute" ? `${date} 00:00:00` : date;
    const index = keys.filter((key) => key <= start).length - 1;
    if (index >= 0) texts.set(index, [...(texts.get(index) ?? []), text]);
  }
  return [...texts].map(([index, notes]) => ({ index, text: notes.join("\n") }));
}
