import { describe, expect, it } from "vitest";
import usersSql from "@pixel/deploy/clickhouse/users.sql?raw";
import { CLICKHOUSE_USERS, parseUsersSql } from "@pixel/lib/clickhouse/users";
import { QUERY_LIMITS } from "./clickhouse";

const profileOf = (name: string) => parseUsersSql(usersSql).find((user) => user.name === name)!.settings;

describe("the api's ClickHouse limits", () => {
  it("are within the bounds of users.sql's profiles: the reader's for reads, the data writer's for writes", () => {
    const { dataWrite, ...reads } = QUERY_LIMITS;
    const checks = [
      ...Object.values(reads).map((limits) => [CLICKHOUSE_USERS.api, limits] as const),
      [CLICKHOUSE_USERS.data, dataWrite] as const,
    ];
    for (const [user, limits] of checks) {
      const profile = profileOf(user);
      for (const [name, value] of Object.entries(limits)) {
        const rule = profile[name];
        expect(rule, `${user} has a bound for ${name}`).toBeDefined();
        expect(value, `${name} for ${user}`).toBeGreaterThanOrEqual(Number(rule!.min));
        expect(value, `${name} for ${user}`).toBeLessThanOrEqual(Number(rule!.max));
      }
    }
  });

  it("cap every read in memory, rows, bytes and time, the SQL editor tighter than stats", () => {
    for (const limits of [QUERY_LIMITS.stats, QUERY_LIMITS.sqlEditor, QUERY_LIMITS.export]) {
      expect(Object.keys(limits).sort()).toEqual(["max_bytes_to_read", "max_execution_time", "max_memory_usage", "max_rows_to_read"]);
    }
    for (const [name, value] of Object.entries(QUERY_LIMITS.sqlEditor)) {
      expect(value).toBeLessThan(QUERY_LIMITS.stats[name as keyof typeof QUERY_LIMITS.stats]);
    }
  });
});
