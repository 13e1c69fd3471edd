import { clickHouseConfigFromEnv } from "./client";
import { migrateClickHouse } from "./node/migrate";

const LOCAL_URL = `http://127.0.0.1:${process.env.PIXEL_CLICKHOUSE_PORT ?? "8123"}`;
const env = { ...process.env, CLICKHOUSE_URL: process.env.CLICKHOUSE_URL ?? LOCAL_URL };
const config = clickHouseConfigFromEnv(env);

console.log(`Migrating ClickHouse at ${new URL(config.url).origin} ...`);
migrateClickHouse(config).catch((error: Error) => {
  console.error(`Migration failed: ${error.message}`);
  console.error("Check CLICKHOUSE_URL, CLICKHOUSE_USER and CLICKHOUSE_PASSWORD, and that the server is running (npm run dev starts a local one).");
  process.exit(1);
});
