import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { actionError } from "./errors";

describe("actionError", () => {
  it("drops the field path and says what to do", () => {
    expect(actionError(new ApiError(400, "newPassword: passwords need at least 10 characters"))).toBe(
      "Passwords need at least 10 characters. Correct it and try again.",
    );
    expect(actionError(new ApiError(403, "you are a viewer of this site; this needs a site admin"))).toBe(
      "You are a viewer of this site; this needs a site admin. Ask the site's owner or a global admin for a higher role.",
    );
  });

  it("keeps a conflict's own advice, and explains network failures", () => {
    expect(actionError(new ApiError(409, "userId: this is the site's only owner; make someone else owner first"))).toBe(
      "This is the site's only owner; make someone else owner first.",
    );
    expect(actionError(new ApiError(0, "Can't reach the Pixel API."))).toBe(
      "Can't reach the Pixel API. Check your connection and that the Pixel API is running, then try again.",
    );
  });
});
