import { describe, expect, it } from "vitest";
import { DEFAULT_DATABASE } from "@pixel/lib/clickhouse/client";

// The workers pool (vite inside workerd) resolves `@pixel/…` as tsconfig.paths.json says; dev/aliases.test.ts checks the other tools.
describe("the @pixel/* import alias in workerd", () => {
  it("reaches lib", () => {
    expect(DEFAULT_DATABASE).toBe("pixel");
  });
});
