/**
 * A currency as ISO 4217 names it: the rule for a hit's revenue and a goal's currency, in the api and the dashboard's
 * goal form alike (this file imports nothing, so the dashboard takes it without the wire format's schema library).
 */
export const CURRENCY_CODE = /^[A-Z]{3}$/;
export const CURRENCY_RULE = "must be an ISO 4217 code, three capital letters (EUR, USD)";
