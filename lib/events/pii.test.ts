import { describe, expect, it } from "vitest";
import { personalDataIn, redactEmails, REFUSED_IN_BROWSER } from "./pii";

const PERSONAL = [
  ["joe@mail.example", "email"],
  ["auth0|joe.doe+shop@mail.example", "email"],
  ["+49 170 1234567", "phone"],
  ["(555) 123-4567", "phone"],
  ["555-123-4567", "phone"],
  ["030/1234567", "phone"],
  ["+4915112345678", "phone"],
  ["4915112345678", "phone"],
  ["447700900123", "phone"],
  ["33612345678", "phone"],
  ["14155552671", "phone"],
  ["004915112345678", "phone"],
  ["01701234567", "phone"],
] as const;

const OPAQUE = [
  ["42", "a small database id"],
  ["2147483647", "the largest 32-bit id"],
  ["5551234567", "ten digits: a 32-bit id or a number without its prefix"],
  ["100004123456789", "a 15-digit Facebook-style id"],
  ["76561197960287930", "a 17-digit Steam id"],
  ["1234567890123456789", "a 19-digit snowflake id"],
  ["123456789012", "12 digits starting with 1"],
  ["0000001234", "a zero-padded id"],
  ["12-345", "five digits with a dash"],
  ["f47ac10b-58cc-4372-a567-0e02b2c3d479", "a UUID"],
  ["01ARZ3NDEKTSV4RRFFQ69G5FAV", "a ULID"],
  ["cus_NffrFeUfNV2Hib", "a Stripe customer id"],
  ["user@42", "an at sign without a domain"],
] as const;

describe("personal data in a user id", () => {
  it.each(PERSONAL)("refuses %s (%s)", (id, kind) => {
    expect(personalDataIn(id)).toBe(kind);
  });

  it.each(OPAQUE)("keeps %s (%s)", (id) => {
    expect(personalDataIn(id)).toBeNull();
  });

  it("pixel.js refuses a part of it, never an id the collector keeps", () => {
    const inBrowser = PERSONAL.filter(([id]) => REFUSED_IN_BROWSER.test(id)).map(([id]) => id);
    expect(inBrowser).toEqual(["joe@mail.example", "auth0|joe.doe+shop@mail.example", "+49 170 1234567", "(555) 123-4567", "555-123-4567", "+4915112345678"]);
    expect(OPAQUE.filter(([id]) => REFUSED_IN_BROWSER.test(id))).toEqual([]);
    expect(REFUSED_IN_BROWSER.test("x".repeat(65))).toBe(true);
  });
});

describe("e-mail addresses in a text", () => {
  it("replaces each address and keeps the rest", () => {
    expect(redactEmails("from joe@mail.example to ann@shop.example today")).toBe("from redacted to redacted today");
    expect(redactEmails("price: 10 @ 2.50")).toBe("price: 10 @ 2.50");
    expect(redactEmails("plain")).toBe("plain");
  });
});
