import { describe, expect, it } from "vitest";
import { countryName, displayValue, filterLabel, flagOf } from "./labels";

describe("labels", () => {
  it("turns country codes into flags and names", () => {
    expect(flagOf("DE")).toBe("🇩🇪");
    expect(flagOf("de")).toBe("🇩🇪");
    expect(flagOf("")).toBe("");
    expect(flagOf("XYZ")).toBe("");
    expect(countryName("DE", "en")).toBe("Germany");
    expect(countryName("unknown")).toBe("unknown");
  });

  it("shows empty values as not set", () => {
    expect(displayValue("visit:utm_source", "")).toBe("(not set)");
    expect(displayValue("event:page", "/a")).toBe("/a");
  });

  it("describes filters", () => {
    expect(filterLabel("is", "event:page", ["/pricing"])).toBe("Page is /pricing");
    expect(filterLabel("is_not", "visit:country", ["DE", "FR"])).toMatch(/^Country is not Germany or France$/);
    expect(filterLabel("contains", "event:props:plan", ["pro"])).toBe("plan contains pro");
  });
});
