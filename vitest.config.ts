import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { viteAliases } from "./vite-aliases";
import { wranglerConfigPath } from "./deploy/workers";
import { workerClickHouseEnv } from "./lib/clickhouse/node/users";
import { TEST_DATABASES } from "./test/setup/databases";
import { mailboxBinding } from "./test/support/mailbox";

/** `@pixel/…` imports resolve as tsconfig.paths.json says, in every project. */
const ALIASES = { alias: viteAliases() };

/**
 * One run, several rooms: each Worker's tests run inside workerd (the workers pool) against the
 * real local ClickHouse, Node-side tools run in Node, and the end-to-end suite drives real Chromium.
 */
export default defineConfig(async () => {
  const d1Migrations = await readD1Migrations("./lib/d1/migrations");
  const workerProject = (name: "collector" | "flusher" | "api", extraBindings: Record<string, unknown> = {}, serviceBindings = {}) => ({
    resolve: ALIASES,
    plugins: [
      cloudflareTest(({ inject }) => ({
        main: `./workers/${name}/src/index.ts`,
        wrangler: { configPath: wranglerConfigPath(name) },
        miniflare: {
          bindings: {
            D1_MIGRATIONS: d1Migrations,
            CLICKHOUSE_URL: inject("clickHouseUrl"),
            CLICKHOUSE_DATABASE: TEST_DATABASES[name],
            // Each Worker runs as its documented users.sql user; tests seed as the local admin (test/setup/clickhouse.ts).
            ...workerClickHouseEnv(name, inject("clickHousePasswords")),
            TEST_CLICKHOUSE_USER: inject("clickHouseAdmin"),
            TEST_CLICKHOUSE_PASSWORD: inject("clickHousePasswords")[inject("clickHouseAdmin")]!,
            TRUTH_CLICKHOUSE_DATABASE: TEST_DATABASES.truth,
            // The flusher's users.sql user, for tests that run its store path from another room (redelivery.test.ts).
            ...Object.fromEntries(Object.entries(workerClickHouseEnv("flusher", inject("clickHousePasswords"))).map(([name, value]) => [`FLUSHER_${name}`, value])),
            ...extraBindings,
          },
          serviceBindings,
        },
      })),
    ],
    test: {
      name,
      include: [`workers/${name}/**/*.test.ts`],
      setupFiles: ["./test/setup/d1-migrations.ts"],
    },
  });

  return {
    // The global setup runs under the root config, the tests under each project's.
    resolve: ALIASES,
    test: {
      globalSetup: ["./test/setup/clickhouse.global.ts"],
      // The Workers' access lines (one per request; the corpus test alone makes 10,000) would drown the output.
      onConsoleLog: (log: string) => !log.includes('"level":"info","message":"request"'),
      projects: [
        workerProject("collector"),
        workerProject("flusher"),
        workerProject(
          "api",
          { PIXEL_SESSION_SECRET: "test-secret-that-is-long-enough-0123456789", PIXEL_EMAIL_FROM: "Pixel <pixel@pixel.test>", PIXEL_DASHBOARD_URL: "http://pixel.test" },
          { MAILBOX: mailboxBinding },
        ),
        {
          resolve: ALIASES,
          test: {
            name: "node",
            environment: "node",
            include: ["dev/**/*.test.ts", "lib/**/*.test.ts", "tracker/**/*.test.ts", "pages/**/*.test.ts", "deploy/**/*.test.ts"],
          },
        },
        {
          resolve: ALIASES,
          test: {
            name: "e2e",
            environment: "node",
            include: ["test/e2e/**/*.test.ts"],
            testTimeout: 120_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
