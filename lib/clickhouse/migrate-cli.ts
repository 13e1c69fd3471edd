import { clickHouseConfigFromEnv } from "./client";
import { migrateClickHouse } from "./node/migrate";
import { parseCli } from "../node/cli";

parseCli(
  "migrate",
  `Applies Pixel's ClickHouse migrations; safe to run again.

  [CLICKHOUSE_URL=…] [CLICKHOUSE_USER=…] [CLICKHOUSE_PASSWORD=…] [CLICKHOUSE_DATABASE=…] [CLICKHOUSE_TOPOLOGY=…] npm run migrate

Without CLICKHOUSE_URL it migrates the local ClickHouse of \`npm run dev\` (port PIXEL_CLICKHOUSE_PORT, default 8123).
CLICKHOUSE_TOPOLOGY is single (the default; also ClickHouse Cloud), replicated-database or cluster:<name> (docs/deploy.md).`,
  { options: {} },
);

const LOCAL_URL = `http://127.0.0.1:${process.env.PIXEL_CLICKHOUSE_PORT ?? "8123"}`;
const env = { ...process.env, CLICKHOUSE_URL: process.env.CLICKHOUSE_URL ?? LOCAL_URL };
const config = { ...clickHouseConfigFromEnv(env), topology: process.env.CLICKHOUSE_TOPOLOGY };

console.log(`Migrating ClickHouse at ${new URL(config.url).origin} ...`);
migrateClickHouse(config).catch((error: Error) => {
  console.error(`Migration failed: ${error.message}`);
  console.error("Check CLICKHOUSE_URL, CLICKHOUSE_USER and CLICKHOUSE_PASSWORD, and that the server is running (npm run dev starts a local one).");
  process.exit(1);
});
