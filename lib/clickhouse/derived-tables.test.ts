import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VISIT_DIMENSIONS } from "../stats/vocabulary";
import { VISIT_SQL, visitColumn } from "@pixel/workers/api/src/stats/catalog";
import { PAGE_VISITS_COLUMNS_SQL, PAGES_COLUMNS_SQL } from "./tables/pages";

/**
 * The sessions and pages tables hold what the api would compute from events at query time; applied migrations
 * can't change, so the code's copies of their SQL are held equal to the migrations' here.
 */

const migration = (name: string) => readFileSync(new URL(`./migrations/${name}`, import.meta.url), "utf8");
const squeeze = (sql: string) => sql.replace(/--[^\n]*/g, "").replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")").trim();

/** The SELECT lists of a migration's view and of its backfill INSERT. */
function selectLists(sql: string, table: string): string[] {
  const lists = squeeze(sql)
    .split(";")
    .filter((statement) => statement.includes(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv`) || statement.includes(`INSERT INTO ${table} SELECT`))
    .map(selectList);
  expect(lists).toHaveLength(2);
  return lists;
}

const selectList = (statement: string) => statement.slice(statement.indexOf("SELECT ") + 7, statement.lastIndexOf(" FROM events"));

/** The SELECT list of a view as the migrations leave it: its CREATE, or the last MODIFY QUERY since. */
function currentView(table: string): string {
  const statements = readdirSync(new URL("./migrations/", import.meta.url))
    .sort()
    .flatMap((name) => squeeze(migration(name)).split(";"))
    .filter((statement) => statement.includes(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv`) || statement.includes(`ALTER TABLE ${table}_mv MODIFY QUERY SELECT`));
  return selectList(statements.at(-1)!);
}

/** Splits at commas outside parentheses and quotes. */
function columns(list: string): Map<string, string> {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const char = list[i];
    if (char === "'") quoted = !quoted;
    if (quoted) continue;
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      items.push(list.slice(start, i));
      start = i + 1;
    }
  }
  items.push(list.slice(start));
  return new Map(items.map((item) => item.trim()).map((item) => {
    const at = item.lastIndexOf(" AS ");
    return at < 0 ? [item, item] : [item.slice(at + 4), item.slice(0, at)];
  }));
}

/** A sessions column as the compiler writes it for events: (time, value) pairs by min/max become argMin/argMax. */
function asEventSql(stored: string): string {
  const plain = stored.replace(/toString\(([\w]+)\)/g, "$1");
  const pageview = /^(min|max)\(if\((.+), \(timestamp, (\w+)\), .+\)\)$/.exec(plain);
  if (pageview) return `arg${pageview[1] === "min" ? "Min" : "Max"}If(${pageview[3]}, timestamp, ${pageview[2]})`;
  const first = /^min\(\(timestamp, (.+)\)\)$/.exec(plain);
  return first ? `argMin(${first[1]}, timestamp)` : stored;
}

describe("the sessions table (0004_sessions.sql, and the view as later migrations leave it)", () => {
  const [view, backfill] = selectLists(migration("0004_sessions.sql"), "sessions");

  it("fills existing installs with the view's own SELECT", () => {
    expect(backfill).toBe(view);
  });

  it("stores each visit attribute as the compiler computes it from events", () => {
    const stored = columns(currentView("sessions"));
    for (const dimension of VISIT_DIMENSIONS) {
      expect(asEventSql(stored.get(visitColumn(dimension)) ?? `no column ${visitColumn(dimension)}`), dimension).toBe(VISIT_SQL[dimension]);
    }
    expect([...stored.keys()].filter((column) => column.startsWith("v_"))).toEqual(VISIT_DIMENSIONS.map(visitColumn));
  });
});

describe("the pages table (0005_pages.sql)", () => {
  const [view, backfill] = selectLists(migration("0005_pages.sql"), "pages");

  it("fills existing installs, and is rebuilt after imports, with the view's own SELECT", () => {
    expect(backfill).toBe(view);
    expect(squeeze(PAGES_COLUMNS_SQL)).toBe(view);
  });
});

describe("the page_visits table (0014_page_visits.sql)", () => {
  const [view, backfill] = selectLists(migration("0014_page_visits.sql"), "page_visits");

  it("fills existing installs, and is rebuilt after imports, with the view's own SELECT", () => {
    expect(backfill).toBe(view);
    expect(squeeze(PAGE_VISITS_COLUMNS_SQL)).toBe(view);
  });
});
