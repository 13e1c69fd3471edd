import { describe, expect, it } from "vitest";
import { pageFrom } from "./page";

const page = (url: string) => pageFrom(new URL(url));

describe("the page's address as stored", () => {
  it("keeps hash routes as part of the path, but not plain anchors", () => {
    expect(page("https://app.example/mail#/inbox?unread=1").pathname).toBe("/mail#/inbox");
    expect(page("https://app.example/mail#!/inbox").pathname).toBe("/mail#!/inbox");
    expect(page("https://app.example/docs#install").pathname).toBe("/docs");
  });

  it("redacts e-mail addresses and credentials from the path and query", () => {
    const stored = page("https://www.shop.example/users/joe@mail.example/orders?token=abc&q=joe%40mail.example&page=2");
    expect(stored).toEqual({ hostname: "shop.example", pathname: "/users/redacted/orders", query: "?token=redacted&q=redacted&page=2" });
  });

  it("stores a query without secrets in the same form as a redacted one, and decodes the path", () => {
    expect(page("https://shop.example/caf%C3%A9?q=red%20shoes&x=a/b")).toEqual({ hostname: "shop.example", pathname: "/café", query: "?q=red+shoes&x=a%2Fb" });
    expect(page("https://shop.example/a?")).toMatchObject({ pathname: "/a", query: "" });
    expect(page("https://shop.example/%E0%A4%A")).toMatchObject({ pathname: "/%E0%A4%A" });
  });
});
