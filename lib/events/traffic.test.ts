import { describe, expect, it } from "vitest";
import { trafficFrom } from "./traffic";

const own = (host: string) => host.endsWith("shop.example");
const channel = (page: string, referrer?: string) => trafficFrom(new URL(page), referrer, own).channel;

describe("channel classification", () => {
  it.each([
    ["direct", "https://shop.example/", undefined],
    ["internal", "https://shop.example/b", "https://shop.example/a"],
    ["organic search", "https://shop.example/", "https://www.google.de/"],
    ["paid search", "https://shop.example/?gclid=abc", "https://www.google.com/"],
    ["paid search", "https://shop.example/?utm_source=bing&utm_medium=cpc", undefined],
    ["organic social", "https://shop.example/", "https://t.co/xyz"],
    ["paid social", "https://shop.example/?utm_source=facebook&utm_medium=paid", undefined],
    ["email", "https://shop.example/?utm_medium=email", undefined],
    ["referral", "https://shop.example/", "https://blog.other.example/post"],
    ["referral", "https://shop.example/?utm_source=partner", undefined],
  ])("%s: %s from %s", (expected, page, referrer) => {
    expect(channel(page, referrer)).toBe(expected);
  });

  it("keeps UTM fields and strips the referrer's query", () => {
    const traffic = trafficFrom(new URL("https://shop.example/?utm_campaign=black-friday&utm_term=shoes"), "https://news.example/a?token=x", own);
    expect(traffic).toMatchObject({ utm_campaign: "black-friday", utm_term: "shoes", referrer: "https://news.example/a", referrer_host: "news.example" });
  });

  it("takes the first of repeated UTM fields, and a paid search click id over a paid social one in any order", () => {
    const traffic = trafficFrom(new URL("https://shop.example/?utm_source=news&utm_source=other&ttclid=1&gclid=2"), undefined, own);
    expect(traffic).toMatchObject({ utm_source: "news", utm_medium: "", channel: "paid search" });
    expect(channel("https://shop.example/?twclid=1&utm_medium=email")).toBe("paid social");
  });
});
