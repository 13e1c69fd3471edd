import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./lib/d1/schema.ts",
  out: "./lib/d1/migrations",
});
