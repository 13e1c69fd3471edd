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

export function analyzeStatement(sql: Buffer): StatementShape {
  let kind = "";
  let depth = 0;
  let ended = false;
  const topLevel: Token[] = [];
  const insert: InsertState = { inValues: false, inSelect: false, usesInput: false };
  for (const token of tokens(sql)) {
    if (ended) {
      if (token.type === "semicolon") continue;
      return { kind, hasMultipleStatements: true };
    }
    kind ||= wordOf(sql, token) ?? "";
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
        const insertData = { sqlEnd: token.end, dataStart: insertDataStart(sql, token.end) };
        return { kind, insertData, hasMultipleStatements: false };
      }
    }
    topLevel.push(token);
  }
  const outputFormat = kind === "INSERT" ? undefined : trailingFormat(sql, topLevel);
  return { kind, outputFormat, hasMultipleStatements: false };
}
