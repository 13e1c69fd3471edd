import path from "node:path";
import { type ClickHouseServer, startClickHouseServer } from "./server";
import { parseCli } from "@pixel/lib/node/cli";

parseCli("clickhouse", "Serves the local ClickHouse (chDB) over HTTP; configured by PIXEL_CLICKHOUSE_* variables (dev/clickhouse-server/README.md).\n\n  npm run clickhouse", { options: {} });

interface CliConfig {
  port: number;
  host: string;
  dataDir: string;
  user?: string;
  password?: string;
}

function configFromEnv(env: NodeJS.ProcessEnv): CliConfig {
  const port = Number(env.PIXEL_CLICKHOUSE_PORT ?? 8123);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PIXEL_CLICKHOUSE_PORT must be a port number, got '${env.PIXEL_CLICKHOUSE_PORT}'`);
  }
  return {
    port,
    host: env.PIXEL_CLICKHOUSE_HOST || "127.0.0.1",
    dataDir: path.resolve(env.PIXEL_CLICKHOUSE_DATA || path.join(".pixel", "clickhouse")),
    user: env.PIXEL_CLICKHOUSE_USER || undefined,
    password: env.PIXEL_CLICKHOUSE_PASSWORD || undefined,
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

function adviceFor(message: string): string {
  if (message.includes("already in use")) {
    return "Stop the other server, or pick a free port with PIXEL_CLICKHOUSE_PORT=<port>.";
  }
  if (message.includes("in use by another process")) {
    return "Stop the other server using this directory, or point PIXEL_CLICKHOUSE_DATA at another directory.";
  }
  return "Check PIXEL_CLICKHOUSE_DATA / PIXEL_CLICKHOUSE_PORT / PIXEL_CLICKHOUSE_HOST and try again.";
}

function stopOnSignals(server: ClickHouseServer): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal} received, stopping local ClickHouse`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`local ClickHouse did not stop cleanly: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function main(): Promise<void> {
  let config: CliConfig;
  let server: ClickHouseServer;
  try {
    config = configFromEnv(process.env);
    // Standalone, it stands in for an external ClickHouse: an admin applies users.sql to it (README.md, "Any ClickHouse").
    server = await startClickHouseServer({ ...config, accessManagement: true, log: (line) => console.error(line) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`local ClickHouse could not start: ${message}`);
    console.error(adviceFor(message));
    process.exit(1);
  }
  stopOnSignals(server);
  if (!isLoopback(config.host) && config.password === undefined) {
    console.error(
      `warning: listening on ${config.host} without PIXEL_CLICKHOUSE_PASSWORD; anyone who can reach it can run SQL, including reading local files`,
    );
  }
  const versions = `chDB ${server.versions.chdb}, ClickHouse ${server.versions.clickhouse}`;
  console.log(`local ClickHouse (${versions}) listening on ${server.url}, data in ${config.dataDir}`);
}

await main();
