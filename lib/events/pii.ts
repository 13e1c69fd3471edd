/**
 * What Pixel never stores: e-mail addresses and phone numbers. The collector applies these rules to every hit, from
 * whichever sender; pixel.js applies a shorter one (`REFUSED_IN_BROWSER`) that fits its size budget.
 */

/** An e-mail address anywhere in a text; it stops at URL delimiters so a redacted URL keeps its shape. */
export const EMAIL = /[^\s@/?&=#]+@[^\s@/?&=#]+\.[^\s@/?&=#]+/;

/**
 * A phone number as people write it: at least 7 digits, a leading `+`, `( ) . / -` and spaces, with at least one
 * non-digit: `+49 170 1234567`, `(555) 123-4567`.
 */
const WRITTEN_PHONE = /^(?=.*\D)\+?[\d ().\/-]{7,}$/;

/**
 * A phone number as digits alone, recognised by its dialling prefix: `00` or a national trunk `0` before 9–13 more
 * digits (`01701234567`), `1` before a North American number (`14155552671`), or 11–13 digits starting with a
 * country code of 2–9 (`4915112345678`). Other digits alone pass, as database ids: up to 10 digits (every 32-bit id,
 * and so `5551234567` too), 14 or more (snowflake ids), and 12 or 13 starting with 1. Without its prefix a phone
 * number can't be told from an id.
 */
const DIALLED_PHONE = /^(00?[1-9]\d{8,12}|1[2-9]\d{9}|[2-9]\d{10,12})$/;

/**
 * What pixel.js refuses in `setUserId`: an e-mail address, a written phone number, or more than 64 characters.
 * Each byte counts there; the collector catches the rest (dialled phone numbers) for every sender.
 */
export const REFUSED_IN_BROWSER = /\S@\S+\.\S|^(?=.*\D)\+?[\d ().-]{7,}$|.{65}/;

export type PersonalData = "email" | "phone";

/** Whether a user id is an e-mail address or a phone number, and which; `null` for an opaque id. */
export const personalDataIn = (id: string): PersonalData | null =>
  EMAIL.test(id) ? "email" : WRITTEN_PHONE.test(id) || DIALLED_PHONE.test(id) ? "phone" : null;

export const REDACTED = "redacted";

/** The text with every e-mail address in it replaced by `redacted`. */
export const redactEmails = (text: string): string => (text.includes("@") ? text.replace(new RegExp(EMAIL, "g"), REDACTED) : text);
