import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL(".", import.meta.url));

/**
 * tsconfig.paths.json's aliases as Vite's resolve.alias, for vite and every vitest project and the global setup
 * (Vite's own resolve.tsconfigPaths applies them only to files a tsconfig's `include` names).
 */
export function viteAliases(): { find: RegExp; replacement: string }[] {
  const { paths } = JSON.parse(readFileSync(`${ROOT}tsconfig.paths.json`, "utf8")).compilerOptions as { paths: Record<string, string[]> };
  return Object.entries(paths).map(([alias, [target]]) => ({
    find: new RegExp(`^${alias.replace("*", "(.*)")}$`),
    replacement: `${ROOT}${target!.replace(/^\.\//, "").replace("*", "$1")}`,
  }));
}
