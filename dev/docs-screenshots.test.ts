import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "@pixel/test/support/cli";
import { DOC_IMAGES, DOC_SCREENSHOTS, SCREENSHOT_TESTS } from "./docs-screenshots-list";

const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
const linked = docs.flatMap((file) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/\]\(((?:docs\/)?images\/[\w-]+\.png)\)/g)].map((match) => ({ file, image: match[1]! })));

describe("the docs' screenshots", () => {
  it("link only images that exist, each one a screenshot the e2e suite takes", () => {
    expect(linked.length).toBeGreaterThan(0);
    for (const { file, image } of linked) {
      const path = join(ROOT, file.startsWith("docs/") ? "docs" : "", image);
      expect(existsSync(path), `${file} links ${image}`).toBe(true);
      expect(DOC_SCREENSHOTS as readonly string[], `${file} links ${image}`).toContain(image.replace(/^.*\//, "").replace(/\.png$/, ""));
    }
  });

  it("are taken by the e2e tests that docs:screenshots runs", () => {
    const tests = SCREENSHOT_TESTS.map((file) => readFileSync(join(ROOT, file), "utf8")).join("\n");
    for (const name of DOC_SCREENSHOTS) expect(tests, name).toMatch(new RegExp(`shot\\([^,]+, "${name}"`));
    for (const name of DOC_SCREENSHOTS) expect(existsSync(join(ROOT, DOC_IMAGES, `${name}.png`)), name).toBe(true);
  });
});
