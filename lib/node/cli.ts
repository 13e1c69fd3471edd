import { parseArgs, type ParseArgsConfig } from "node:util";

type CliConfig = Pick<ParseArgsConfig, "options" | "allowPositionals">;

/**
 * Reads a CLI's flags strictly, before the CLI touches anything: `--help` prints `usage` and exits 0; an unknown
 * flag, a missing value or a stray argument is named, with a pointer to --help, and exits 2.
 */
export function parseCli<const T extends CliConfig>(script: string, usage: string, config: T, args = process.argv.slice(2)) {
  const help = { help: { type: "boolean", short: "h" } } as const;
  let parsed;
  try {
    parsed = parseArgs({ ...config, options: { ...config.options, ...help }, args, strict: true });
  } catch (error) {
    const problem = (error as Error).message.split(". ")[0];
    console.error(`${script}: ${problem}. \`npm run ${script} -- --help\` lists what it takes.`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed as unknown as ReturnType<typeof parseArgs<T & { strict: true }>>;
}
