import { describe, expect, it } from "vitest";
import { DROP_REASONS } from "@pixel/lib/events/message";
import { detailLabel, dropsBounds, REASONS, reasonInfo } from "./drops";

describe("dropped hits", () => {
  it("turn every range into whole UTC days the api accepts", () => {
    const today = "2026-11-28";
    expect(dropsBounds("day", today)).toEqual({ from: today, to: today });
    expect(dropsBounds("7d", today)).toEqual({ from: "2026-11-22", to: today });
    expect(dropsBounds("24h", today)).toEqual({ from: "2026-11-27", to: today });
    expect(dropsBounds("all", today)).toEqual({ from: "2025-10-25", to: today });
    expect(dropsBounds(["2020-01-01", "2026-11-01"], today)).toEqual({ from: "2025-09-28", to: "2026-11-01" });
  });

  it("explain every reason the collector uses", () => {
    expect(Object.keys(REASONS).sort()).toEqual([...DROP_REASONS].sort());
    expect(reasonInfo("rate_limited").label).toBe("Rate limited");
    expect(reasonInfo("a_future_reason").label).toBe("a_future_reason");
    expect(detailLabel("datacenter")).toBe("data-centre network");
    expect(reasonInfo("pii_user_id").label).toBe("User id refused");
    expect(detailLabel("phone")).toBe("phone number");
    expect(detailLabel("something_new")).toBe("something_new");
  });
});
