import { EMAIL } from "../../lib/events/pii";
import { log } from "./config";

/** Memory only: a user id never outlives the page, so it cannot become a persistent identifier. */
export let userId: string | undefined;

/**
 * An opaque id from the site, at most 64 characters. An e-mail address is refused here and the previous id stays;
 * phone numbers are left to the collector's fuller rule (lib/events/pii.ts), which the tracker's budget can't hold.
 * `null` forgets it.
 */
export function setUserId(id: unknown): void {
  const value = id ? String(id) : undefined;
  if (value && (EMAIL.test(value) || value.length > 64)) log("setUserId refused");
  else userId = value;
}
