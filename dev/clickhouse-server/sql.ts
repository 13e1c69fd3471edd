// A byte-level ClickHouse lexer, just deep enough to answer what the HTTP layer must know
// before handing SQL to chDB: the statement kind, its trailing FORMAT clause, where inline
// INSERT data starts, and whether more than one statement was sent.

export interface StatementShape {
  /** First keyword, upper-cased (`SELECT`, `INSERT`, ...); empty when there is no statement. */
  kind: string;
  /** Output format named by a trailing `FORMAT X` of a non-INSERT statement. */
  outputFormat?: string;
  /** For `INSERT ... FORMAT X <data>`: the end of the SQL part and the start of the data. */
  insertData?: { sqlEnd: number; dataStart: number };
  hasMultipleStatements: boolean;
  /** The statement's top-level words, upper-cased (`ALTER`, `TABLE`, `DELETE`, ...), for access checks. */
  words: string[];
  /** Every word directly before `(`: the functions called (`file(`, `url(`), and keywords such as `FROM (`. */
  functions: string[];
  /** Every `x` of an `x.y` anywhere in the statement: the candidate database names. */
  qualifiers: string[];
  /** The database a CREATE/DROP/ATTACH/DETACH DATABASE names, as written (may be `{name:Identifier}`). */
  databaseTarget?: string;
  /** The query parameters bound as names (`{name:Identifier}`): their values may name databases. */
  identifierParameters: string[];
  /** A top-level `INTO OUTFILE`: a client-side clause that a server over HTTP refuses. */
  intoOutfile?: boolean;
  /** For ALTER: the first word of each command (`DELETE`, `UPDATE`, `DROP`, ...), as its privilege depends on it. */
  alterCommands?: string[];
  /** `name = value` pairs of a SET statement and of every SETTINGS clause. */
  settingChanges: [string, string][];
}

type TokenType = "word" | "quoted" | "open" | "close" | "semicolon" | "other";

interface Token {
  type: TokenType;
  start: number;
  end: number;
}

const c = (char: string): number => char.charCodeAt(0);
const NEWLINE = c("\n");
const BACKSLASH = c("\\");
const DOLLAR = c("$");
const QUOTES = new Set([c("'"), c('"'), c("`")]);
const OPENERS = new Set([c("("), c("[")]);
const CLOSERS = new Set([c(")"), c("]")]);

function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function isWordByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x5f ||
    byte >= 0x80
  );
}

function lineEnd(sql: Buffer, from: number): number {
  const newline = sql.indexOf(NEWLINE, from);
  return newline === -1 ? sql.length : newline + 1;
}

function blockCommentEnd(sql: Buffer, from: number): number {
  let depth = 0;
  for (let i = from; i < sql.length - 1; i++) {
    if (sql[i] === c("/") && sql[i + 1] === c("*")) {
      depth++;
      i++;
    } else if (sql[i] === c("*") && sql[i + 1] === c("/")) {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return sql.length;
}

function quotedEnd(sql: Buffer, from: number): number {
  const quote = sql[from];
  for (let i = from + 1; i < sql.length; i++) {
    if (sql[i] === BACKSLASH) {
      i++;
    } else if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i++;
    }
  }
  return sql.length;
}

/** `$tag$ ... $tag$` heredoc strings; returns -1 when the `$` does not open one. */
function heredocEnd(sql: Buffer, from: number): number {
  let tagEnd = from + 1;
  while (tagEnd < sql.length && isWordByte(sql[tagEnd]!) && sql[tagEnd]! < 0x80) tagEnd++;
  if (sql[tagEnd] !== DOLLAR) return -1;
  const tag = sql.subarray(from, tagEnd + 1);
  const close = sql.indexOf(tag, tagEnd + 1);
  return close === -1 ? sql.length : close + tag.length;
}

function isCommentStart(sql: Buffer, i: number): "line" | "block" | undefined {
  const byte = sql[i];
  const next = sql[i + 1];
  if (byte === c("-") && next === c("-")) return "line";
  if (byte === c("#") && (next === c(" ") || next === c("!"))) return "line";
  if (byte === c("/") && next === c("*")) return "block";
  return undefined;
}

function* tokens(sql: Buffer): Generator<Token> {
  let i = 0;
  while (i < sql.length) {
    const byte = sql[i]!;
    const comment = isCommentStart(sql, i);
    if (isSpace(byte)) {
      i++;
    } else if (comment) {
      i = comment === "line" ? lineEnd(sql, i) : blockCommentEnd(sql, i);
    } else if (QUOTES.has(byte)) {
      const end = quotedEnd(sql, i);
      yield { type: "quoted", start: i, end };
      i = end;
    } else if (byte === DOLLAR && heredocEnd(sql, i) !== -1) {
      const end = heredocEnd(sql, i);
      yield { type: "quoted", start: i, end };
      i = end;
    } else if (isWordByte(byte)) {
      let end = i + 1;
      while (end < sql.length && isWordByte(sql[end]!)) end++;
      yield { type: "word", start: i, end };
      i = end;
    } else {
      yield { type: symbolType(byte), start: i, end: i + 1 };
      i++;
    }
  }
}

function symbolType(byte: number): TokenType {
  if (byte === c(";")) return "semicolon";
  if (OPENERS.has(byte)) return "open";
  if (CLOSERS.has(byte)) return "close";
  return "other";
}

function wordOf(sql: Buffer, token: Token | undefined): string | undefined {
  return token?.type === "word" ? sql.toString("latin1", token.start, token.end).toUpperCase() : undefined;
}

/** ClickHouse's rule: inline data starts after the first newline, or after the blanks before it. */
function insertDataStart(sql: Buffer, from: number): number {
  let i = from;
  while (i < sql.length && (sql[i] === c(" ") || sql[i] === c("\t") || sql[i] === c("\f"))) i++;
  if (sql[i] === c("\r")) i++;
  if (sql[i] === NEWLINE) i++;
  return i;
}

function trailingFormat(sql: Buffer, topLevel: Token[]): string | undefined {
  for (let k = topLevel.length - 2; k >= 0; k--) {
    if (wordOf(sql, topLevel[k]) !== "FORMAT") continue;
    const name = topLevel[k + 1];
    const after = topLevel[k + 2];
    if (name?.type === "word" && (after === undefined || wordOf(sql, after) === "SETTINGS")) {
      return sql.toString("utf8", name.start, name.end);
    }
  }
  return undefined;
}

/**
 * `INSERT ... FORMAT X` is followed by data, except when the FORMAT belongs to a SELECT (a column
 * named `format`): after a SELECT only the `input()` table function takes inline data.
 */
function startsInsertData(sql: Buffer, previous: Token | undefined, token: Token, state: InsertState): boolean {
  const word = wordOf(sql, token);
  if (state.inValues) return false;
  if (word === "VALUES" && !state.inSelect) state.inValues = true;
  if (word === "SELECT" || word === "WITH") state.inSelect = true;
  const isFormatName = wordOf(sql, previous) === "FORMAT" && word !== undefined;
  return isFormatName && (!state.inSelect || state.usesInput);
}

interface InsertState {
  inValues: boolean;
  inSelect: boolean;
  usesInput: boolean;
}

const MAX_WORDS = 64;
const IDENTIFIER_PARAMETER = /\{\s*(\w+)\s*:\s*Identifier\s*\}/gi;
const DATABASE_TARGET = /^\s*(?:CREATE|DROP|ATTACH|DETACH)\s+DATABASE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(`[^`]+`|"[^"]+"|\{[^}]*\}|\w+)/i;

export function analyzeStatement(sql: Buffer): StatementShape {
  let kind = "";
  let depth = 0;
  let ended = false;
  const topLevel: Token[] = [];
  const insert: InsertState = { inValues: false, inSelect: false, usesInput: false };
  const names: NameCollector = { words: [], functions: [], qualifiers: [] };
  const assignments = new SettingAssignments();
  const shape = (extra: Partial<StatementShape>): StatementShape => ({
    kind,
    hasMultipleStatements: false,
    words: names.words,
    functions: names.functions,
    qualifiers: names.qualifiers,
    databaseTarget: names.words.includes("DATABASE") ? unquote(DATABASE_TARGET.exec(sql.toString("utf8", 0, 4096))?.[1]) : undefined,
    settingChanges: assignments.found,
    identifierParameters: [...sql.toString("utf8").matchAll(IDENTIFIER_PARAMETER)].map((match) => match[1]!),
    ...extra,
  });
  for (const token of tokens(sql)) {
    if (ended) {
      if (token.type === "semicolon") continue;
      return shape({ hasMultipleStatements: true });
    }
    kind ||= wordOf(sql, token) ?? "";
    collectNames(sql, token, depth, names);
    assignments.feed(sql, token, names.words.length === 1 && depth === 0 && token.type === "word");
    if (token.type === "semicolon" && depth === 0) {
      ended = true;
      continue;
    }
    if (token.type === "open") {
      insert.usesInput ||= depth === 0 && wordOf(sql, topLevel.at(-1)) === "INPUT";
      depth++;
    }
    if (token.type === "close") depth = Math.max(0, depth - 1);
    if (depth > 0 || token.type === "open" || token.type === "close") continue;
    if (kind === "INSERT") {
      if (startsInsertData(sql, topLevel.at(-1), token, insert)) {
        return shape({ insertData: { sqlEnd: token.end, dataStart: insertDataStart(sql, token.end) } });
      }
    }
    topLevel.push(token);
  }
  return shape({
    outputFormat: kind === "INSERT" ? undefined : trailingFormat(sql, topLevel),
    alterCommands: kind === "ALTER" ? alterCommands(sql, topLevel) : undefined,
    intoOutfile: topLevel.some((token, i) => wordOf(sql, token) === "INTO" && wordOf(sql, topLevel[i + 1]) === "OUTFILE"),
  });
}

const textIs = (sql: Buffer, token: Token | undefined, text: string) => token !== undefined && sql.toString("utf8", token.start, token.end) === text;

/**
 * `ALTER TABLE name [ON CLUSTER c] command [, command ...]`: each command's first word. A comma-separated part that
 * starts `name =` continues the one before (an UPDATE's assignments, a SETTINGS clause); "" where no word is found.
 */
function alterCommands(sql: Buffer, topLevel: Token[]): string[] {
  const segments: Token[][] = [[]];
  for (const token of topLevel) {
    if (textIs(sql, token, ",")) segments.push([]);
    else segments.at(-1)!.push(token);
  }
  return segments.flatMap((segment, i) => {
    if (i > 0) return textIs(sql, segment[1], "=") ? [] : [wordOf(sql, segment[0]) ?? ""];
    let at = skipName(sql, segment, 2);
    if (wordOf(sql, segment[at]) === "ON" && wordOf(sql, segment[at + 1]) === "CLUSTER") at = skipName(sql, segment, at + 2);
    return [wordOf(sql, segment[at]) ?? ""];
  });
}

/** Past a name at `at`: a word, a quoted name or a `{param:Type}`, and once more after a `.`. */
function skipName(sql: Buffer, tokens: Token[], at: number): number {
  const past = (k: number) => {
    if (!textIs(sql, tokens[k], "{")) return k + 1;
    while (k < tokens.length && !textIs(sql, tokens[k], "}")) k++;
    return k + 1;
  };
  const end = past(at);
  return textIs(sql, tokens[end], ".") ? past(end + 1) : end;
}

interface NameCollector {
  words: string[];
  functions: string[];
  qualifiers: string[];
  previous?: Token;
  beforePrevious?: Token;
}

const isName = (token: Token | undefined) => token?.type === "word" || token?.type === "quoted";

function collectNames(sql: Buffer, token: Token, depth: number, names: NameCollector): void {
  const { previous, beforePrevious } = names;
  if (token.type === "word" && depth === 0 && names.words.length < MAX_WORDS) names.words.push(wordOf(sql, token)!);
  if (token.type === "open" && sql[token.start] === c("(") && isName(previous)) names.functions.push(textOf(sql, previous!));
  const afterDot = previous?.type === "other" && sql[previous.start] === c(".");
  if (isName(token) && afterDot && isName(beforePrevious)) names.qualifiers.push(textOf(sql, beforePrevious!));
  names.beforePrevious = previous;
  names.previous = token;
}

function textOf(sql: Buffer, token: Token): string {
  return unquote(sql.toString("utf8", token.start, token.end))!;
}

function unquote(text: string | undefined): string | undefined {
  if (text === undefined || text.length < 2) return text;
  const first = text[0];
  return (first === "`" || first === '"') && text.endsWith(first) ? text.slice(1, -1) : text;
}

/** Reads `name = value, ...` after `SET` (as the statement) or `SETTINGS`; values are numbers, words or strings. */
class SettingAssignments {
  readonly found: [string, string][] = [];
  #state: "off" | "name" | "equals" | "value" | "next" = "off";
  #name = "";
  #sign = "";

  feed(sql: Buffer, token: Token, isFirstWord: boolean): void {
    const text = sql.toString("utf8", token.start, token.end);
    if (this.#step(token, text)) return;
    const word = wordOf(sql, token);
    this.#state = word === "SETTINGS" || (isFirstWord && word === "SET") ? "name" : "off";
  }

  #step(token: Token, text: string): boolean {
    switch (this.#state) {
      case "name":
        if (token.type !== "word") return false;
        this.#name = text;
        this.#state = "equals";
        return true;
      case "equals":
        if (text !== "=") return false;
        this.#sign = "";
        this.#state = "value";
        return true;
      case "value":
        if (text === "-" && !this.#sign) return (this.#sign = "-"), true;
        if (token.type === "word") this.found.push([this.#name, `${this.#sign}${text}`]);
        else if (token.type === "quoted" && text.startsWith("'")) this.found.push([this.#name, text.slice(1, -1).replace(/''|\\'/g, "'")]);
        else return false;
        this.#state = "next";
        return true;
      case "next":
        if (text !== ",") return false;
        this.#state = "name";
        return true;
      default:
        return false;
    }
  }
}
