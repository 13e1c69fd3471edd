import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password";

describe("passwordProblem", () => {
  it("accepts 10 to 1024 characters typed twice", () => {
    expect(passwordProblem("old-password", "a-new-password", "a-new-password")).toBeNull();
    expect(passwordProblem("old", "x".repeat(1024), "x".repeat(1024))).toBeNull();
  });

  it("says what is wrong, with the field to fix", () => {
    expect(passwordProblem("old", "short", "short")).toEqual({ field: "next", message: "Use at least 10 characters (this has 5)." });
    expect(passwordProblem("old", "x".repeat(1025), "x".repeat(1025))).toMatchObject({ field: "next" });
    expect(passwordProblem("same-password", "same-password", "same-password")).toMatchObject({ field: "next" });
    expect(passwordProblem("old", "a-new-password", "a-new-passw0rd")).toMatchObject({ field: "repeat" });
  });
});
