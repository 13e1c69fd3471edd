import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const host = "127.0.0.1";
const port = Number(process.env.PIXEL_DASHBOARD_PORT ?? 5173);
const proxy = { "/api": "http://127.0.0.1:" + (process.env.PIXEL_API_PORT ?? "8788") };

export default defineConfig({
  root: import.meta.dirname,
  plugins: [solid()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { host, port, strictPort: true, proxy },
  preview: { host, port, strictPort: true, proxy },
});
