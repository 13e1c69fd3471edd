import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Wrangler } from "./deploy";
import { ROOT } from "./workers";

/** The repo's pinned wrangler CLI; a secret goes in on stdin, never on the command line. */
export const wrangler: Wrangler = (args, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.stdin.end(options.input ?? "");
    child.on("close", (code) => resolve({ ok: code === 0, output }));
  });
