/**
 * Country names in English by ISO 3166-1 alpha-2 code, as visit:country_name answers them: from the runtime's ICU
 * data (Intl.DisplayNames), so the api, the ground truth and the dashboard name a country alike.
 */
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function countryNames(): [code: string, name: string][] {
  const display = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  const codes = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b));
  return codes.flatMap((code) => {
    const name = display.of(code);
    return name && name !== code ? [[code, name] as [string, string]] : [];
  });
}

export const COUNTRY_NAMES: ReadonlyMap<string, string> = new Map(countryNames());

/** A stored country code's English name; "" for none or an unknown code. */
export const countryName = (code: string) => COUNTRY_NAMES.get(code) ?? "";
