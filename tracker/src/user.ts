import { config } from "./config";
import { read, write } from "./storage";

// Kept per tab (sessionStorage), never across visits: it must not become a persistent id.
let userId = read("user", "sessionStorage");

export const currentUserId = (): string | undefined => userId || undefined;

/** An email address, or a phone number: 7+ of digits, spaces and + ( ) . - with at least one non-digit. */
const looksPersonal = (value: string): boolean =>
  /\S@\S+\.\S|^(?=.*\D)\+?[\d ().-]{7,}$/.test(value) || value.length > 64;

/** An opaque id from the site; emails and phone numbers are refused. `null` forgets it. */
export function setUserId(id: unknown): void {
  const value = id ? String(id) : "";
  if (looksPersonal(value)) {
    if (config.debug) console.warn("[pixel] setUserId refused");
  } else write("user", (userId = value), "sessionStorage");
}
