import { applyD1Migrations, env } from "cloudflare:test";

const testEnv = env as unknown as { DB?: D1Database; D1_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] };
if (testEnv.DB) await applyD1Migrations(testEnv.DB, testEnv.D1_MIGRATIONS);
