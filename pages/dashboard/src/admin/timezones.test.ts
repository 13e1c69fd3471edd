import { describe, expect, it } from "vitest";
import { browserTimeZone, timeZoneOptions } from "./timezones";

describe("timeZoneOptions", () => {
  it("always offers UTC and the current zone, sorted, without repeats", () => {
    expect(timeZoneOptions("Asia/Tokyo", ["Europe/Berlin", "Asia/Tokyo"])).toEqual(["Asia/Tokyo", "Europe/Berlin", "UTC"]);
    expect(timeZoneOptions("Etc/GMT+5", [])).toEqual(["Etc/GMT+5", "UTC"]);
  });

  it("knows the runtime's zones and a zone for this machine", () => {
    expect(timeZoneOptions("UTC")).toContain("Europe/Berlin");
    expect(timeZoneOptions("UTC")).toContain(browserTimeZone());
  });
});
