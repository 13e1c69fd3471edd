import { log } from "./config";

/** Memory only: a user id never outlives the page, so it cannot become a persistent identifier. */
export let userId: string | undefined;

/**
 * An opaque id from the site, at most 64 characters. Email addresses and phone numbers (7+ of digits, spaces and
 * + ( ) . - with a non-digit) are refused, and the previous id stays; `null` forgets it.
 */
export function setUserId(id: unknown): void {
  const value = id ? String(id) : undefined;
  if (value && /\S@\S+\.\S|^(?=.*\D)\+?[\d ().-]{7,}$|.{65}/.test(value)) log("setUserId refused");
  else userId = value;
}
