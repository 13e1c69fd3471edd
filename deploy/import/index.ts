import { MAX_IMPORT_BYTES } from "@pixel/lib/import/split";
import { parseCli } from "@pixel/lib/node/cli";
import { readHidden } from "@pixel/lib/node/prompt";
import { runImport } from "./run";
import { signIn } from "./session";

const USAGE = `Imports CSV exports (Umami's website_event, Plausible's imported_*.csv) into one site, through the api.

  PIXEL_PASSWORD=… npm run import -- --url https://stats.example.com --site SITE_ID --email you@example.com FILE…

Files larger than one request takes (20 MiB) go up in parts that repeat the header row. Plausible's
imported_visitors files go first, whatever the order given. Each finished part is written to the state file, so
running the same command again after a stop resumes after the last finished part (importing a part twice is
harmless anyway: imported events have ids from their rows).

  --url URL        the dashboard's address (its /api is the api); default http://localhost:5173 (npm run dev)
  --site ID        the site to import into (you must be its admin)
  --email E-MAIL   your account; the password comes from PIXEL_PASSWORD, else it is asked for
  --state FILE     where finished parts are noted; default pixel-import-<site>.json in this folder
  --part-mib N     the largest part to send, in MiB (default and most: 20); smaller for a proxy with a lower limit
  --restart        forget the state file and send every part again

A sign-in code (two-factor sign-in) comes from PIXEL_SIGN_IN_CODE, else it is asked for.`;

const { values, positionals } = parseCli(
  "import",
  USAGE,
  {
    options: {
      url: { type: "string" },
      site: { type: "string" },
      email: { type: "string" },
      state: { type: "string" },
      restart: { type: "boolean" },
      "part-mib": { type: "string" },
    },
    allowPositionals: true,
  },
);

async function main() {
  if (!values.site || !values.email || !positionals.length) throw new Error("give --site, --email and at least one FILE (see --help)");
  const partMib = Number(values["part-mib"] ?? MAX_IMPORT_BYTES / 1024 / 1024);
  if (!(partMib > 0 && partMib * 1024 * 1024 <= MAX_IMPORT_BYTES)) throw new Error(`--part-mib must be above 0 and at most ${MAX_IMPORT_BYTES / 1024 / 1024}`);
  const stateFile = values.state ?? `pixel-import-${values.site}.json`;
  if (values.restart) await import("node:fs").then((fs) => fs.rmSync(stateFile, { force: true }));
  const pixel = await signIn(values.url ?? "http://localhost:5173", {
    email: values.email,
    password: process.env.PIXEL_PASSWORD ?? (await askFor("Password: ", "PIXEL_PASSWORD")),
    code: async () => process.env.PIXEL_SIGN_IN_CODE ?? (await askFor("Sign-in code: ", "PIXEL_SIGN_IN_CODE")),
  });
  const started = Date.now();
  const totals = await runImport({ site: values.site, files: positionals, stateFile, maxPartBytes: Math.floor(partMib * 1024 * 1024) }, pixel, console.log);
  const resumed = totals.resumed ? ` (${totals.resumed} of them by an earlier run)` : "";
  console.log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${totals.files} files in ${totals.parts} parts${resumed}, ` +
      `${totals.rows.toLocaleString("en")} rows, ${totals.events.toLocaleString("en")} events written, ${totals.skipped.toLocaleString("en")} lines skipped`,
  );
}

function askFor(prompt: string, variable: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error(`set ${variable}: there is no terminal to ask on`);
  return readHidden(prompt);
}

main().catch((error: Error) => {
  console.error(`import stopped: ${error.message}`);
  process.exit(1);
});
