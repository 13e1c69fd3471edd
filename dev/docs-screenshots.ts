import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseCli } from "@pixel/lib/node/cli";
import { ROOT } from "@pixel/test/support/cli";
import { SCREENSHOTS } from "@pixel/test/support/screenshots";
import { DOC_SCREENSHOTS, DOC_IMAGES, SCREENSHOT_TESTS } from "./docs-screenshots-list";

parseCli(
  "docs:screenshots",
  `Runs the end-to-end tests that take the docs' screenshots (real Chromium, the built dashboard) and copies those
shots into docs/images, so the pictures in README.md and docs/ show the dashboard as it is.

  npm run build && npm run docs:screenshots`,
  { options: {} },
);

const run = spawnSync("npx", ["vitest", "run", "--project", "e2e", ...SCREENSHOT_TESTS], { cwd: ROOT, stdio: "inherit" });
if (run.status !== 0) {
  console.error("docs:screenshots: the end-to-end tests failed; docs/images is left as it was");
  process.exit(1);
}
mkdirSync(join(ROOT, DOC_IMAGES), { recursive: true });
for (const name of DOC_SCREENSHOTS) {
  const taken = join(SCREENSHOTS, `${name}.png`);
  if (!existsSync(taken)) throw new Error(`no screenshot ${name}: the tests no longer take it (see dev/docs-screenshots-list.ts)`);
  copyFileSync(taken, join(ROOT, DOC_IMAGES, `${name}.png`));
  console.log(`  ${DOC_IMAGES}/${name}.png`);
}
