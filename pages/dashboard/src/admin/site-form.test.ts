import { describe, expect, it } from "vitest";
import type { SiteDetails } from "./api";
import { generalChange, generalForm, shieldsForm, shieldsFrom } from "./site-form";

const SITE: SiteDetails = {
  id: "s1",
  domain: "shop.example.com",
  name: "Shop",
  timezone: "Europe/Berlin",
  role: "owner",
  hostnames: ["shop.example.net"],
  retentionDays: 0,
  scriptName: "pixel.js",
  endpointName: "e",
  shields: { ipRanges: ["203.0.113.0/24"], countries: ["DE"], paths: [], hostnames: [] },
  publicShare: false,
  shareEmbed: false,
  createdAt: "2026-11-28T16:00:00.000Z",
};

describe("generalChange", () => {
  it("sends nothing when nothing changed", () => {
    expect(generalChange(SITE, generalForm(SITE))).toEqual({ ok: true, value: {} });
  });

  it("sends only the changed fields, typed as the API wants them", () => {
    const form = { ...generalForm(SITE), name: " Big shop ", hostnames: "Shop.Example.NET\n\nbeta.example.net\n" };
    expect(generalChange(SITE, form)).toEqual({
      ok: true,
      value: { name: "Big shop", hostnames: ["shop.example.net", "beta.example.net"] },
    });
  });

  it("refuses an empty name", () => {
    expect(generalChange(SITE, { ...generalForm(SITE), name: "  " })).toMatchObject({ ok: false, field: "name" });
  });
});

describe("shields", () => {
  it("maps one entry a line both ways, normalizing case like the API", () => {
    const form = shieldsForm(SITE.shields);
    expect(form).toEqual({ ipRanges: "203.0.113.0/24", countries: "DE", paths: "", hostnames: "" });
    expect(shieldsFrom({ ...form, countries: "de\nfr\n", paths: "/admin/*\n /preview \n", hostnames: "Staging.Shop.example.com" })).toEqual({
      ipRanges: ["203.0.113.0/24"],
      countries: ["DE", "FR"],
      paths: ["/admin/*", "/preview"],
      hostnames: ["staging.shop.example.com"],
    });
  });
});
