import { REFUSED_IN_BROWSER } from "@pixel/lib/events/pii";
import { log } from "./config";

/** Memory only: a user id never outlives the page, so it cannot become a persistent identifier. */
export let userId: string | undefined;

/**
 * An opaque id from the site, at most 64 characters. E-mail addresses and phone numbers are refused
 * (lib/events/pii.ts), and the previous id stays; `null` forgets it.
 */
export function setUserId(id: unknown): void {
  const value = id ? String(id) : undefined;
  if (value && REFUSED_IN_BROWSER.test(value)) log("setUserId refused");
  else userId = value;
}
