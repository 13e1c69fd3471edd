/** An error carrying ClickHouse's exception code and name, rendered the way a real server does. */
export class ClickHouseException extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = "ClickHouseException";
  }
}

export const ErrorCode = {
  SYNTAX_ERROR: 62,
  UNKNOWN_SETTING: 115,
  BAD_ARGUMENTS: 36,
  CANNOT_PARSE_NUMBER: 72,
  NOT_IMPLEMENTED: 48,
  UNKNOWN_COMPRESSION_METHOD: 89,
  QUERY_IS_TOO_LARGE: 229,
  ABORTED: 236,
  CANNOT_DECOMPRESS: 271,
  INTO_OUTFILE_NOT_ALLOWED: 358,
  SESSION_NOT_FOUND: 372,
  SESSION_IS_LOCKED: 373,
  INVALID_SESSION_TIMEOUT: 374,
  SETTING_CONSTRAINT_VIOLATION: 452,
  ACCESS_ENTITY_ALREADY_EXISTS: 493,
  ACCESS_DENIED: 497,
  AUTHENTICATION_FAILED: 516,
  STD_EXCEPTION: 1001,
} as const;

export type ErrorName = keyof typeof ErrorCode;

export function clickHouseError(type: ErrorName, message: string): ClickHouseException {
  return new ClickHouseException(ErrorCode[type], type, message);
}

const PREFIX = /^Code: \d+\. DB::Exception: /;
const SUFFIX = /\.?\s*\(([A-Z][A-Z0-9_]*)\)(?:\s*\(version [^)]*\))?\s*$/;

/**
 * chDB reports failures as plain Errors whose message is ClickHouse's own text, sometimes wrapped
 * several times (`Code: 73. DB::Exception: Code: 73. DB::Exception: ... (UNKNOWN_FORMAT) (version
 * ...). (UNKNOWN_FORMAT)`). Unwrap it to the innermost message, code and name.
 */
export function fromEngineError(error: unknown): ClickHouseException {
  if (error instanceof ClickHouseException) return error;
  const text = (error instanceof Error ? error.message : String(error)).trim();
  const code = /^Code: (\d+)\./.exec(text)?.[1];
  const type = SUFFIX.exec(text)?.[1];
  if (code === undefined || type === undefined) {
    return new ClickHouseException(ErrorCode.STD_EXCEPTION, "STD_EXCEPTION", text);
  }
  let message = text;
  while (PREFIX.test(message)) message = message.replace(PREFIX, "");
  while (SUFFIX.test(message)) message = message.replace(SUFFIX, "");
  return new ClickHouseException(Number(code), type, message);
}

/** The body text of a modern server, which `@clickhouse/client-web` parses into `code` and `type`. */
export function exceptionText(error: ClickHouseException, version: string): string {
  return `Code: ${error.code}. DB::Exception: ${error.message}. (${error.type}) (version ${version})\n`;
}

const BAD_REQUEST = new Set([
  "BAD_ARGUMENTS",
  "CANNOT_COMPILE_REGEXP",
  "CANNOT_PARSE_TEXT",
  "CANNOT_PARSE_ESCAPE_SEQUENCE",
  "CANNOT_PARSE_QUOTED_STRING",
  "CANNOT_PARSE_DATE",
  "CANNOT_PARSE_DATETIME",
  "CANNOT_PARSE_NUMBER",
  "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING",
  "CANNOT_PARSE_IPV4",
  "CANNOT_PARSE_IPV6",
  "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
  "CANNOT_PARSE_UUID",
  "DUPLICATE_COLUMN",
  "ILLEGAL_COLUMN",
  "UNKNOWN_ELEMENT_IN_AST",
  "UNKNOWN_TYPE_OF_AST_NODE",
  "THERE_IS_NO_COLUMN",
  "TOO_DEEP_AST",
  "TOO_BIG_AST",
  "UNEXPECTED_AST_STRUCTURE",
  "SYNTAX_ERROR",
  "INCORRECT_DATA",
  "TYPE_MISMATCH",
  "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE",
]);

const NOT_FOUND = new Set([
  "UNKNOWN_TABLE",
  "UNKNOWN_FUNCTION",
  "UNKNOWN_IDENTIFIER",
  "UNKNOWN_TYPE",
  "UNKNOWN_STORAGE",
  "UNKNOWN_DATABASE",
  "UNKNOWN_SETTING",
  "UNKNOWN_DIRECTION_OF_SORTING",
  "UNKNOWN_AGGREGATE_FUNCTION",
  "UNKNOWN_FORMAT",
  "UNKNOWN_DATABASE_ENGINE",
  "UNKNOWN_TYPE_OF_QUERY",
  "UNKNOWN_ROLE",
]);

const OTHER_STATUSES: Record<string, number> = {
  REQUIRED_PASSWORD: 401,
  // A real server answers 403 here; 401 tells HTTP tooling that credentials are what is missing.
  AUTHENTICATION_FAILED: 401,
  UNKNOWN_USER: 403,
  WRONG_PASSWORD: 403,
  ACCESS_DENIED: 403,
  QUERY_IS_TOO_LARGE: 413,
  NOT_IMPLEMENTED: 501,
  SOCKET_TIMEOUT: 503,
  CANNOT_OPEN_FILE: 503,
  CANNOT_SCHEDULE_TASK: 503,
  HTTP_LENGTH_REQUIRED: 411,
  TIMEOUT_EXCEEDED: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** Mirrors ClickHouse's exceptionCodeToHTTPStatus. */
export function httpStatusOf(error: ClickHouseException): number {
  if (BAD_REQUEST.has(error.type)) return 400;
  if (NOT_FOUND.has(error.type)) return 404;
  return OTHER_STATUSES[error.type] ?? 500;
}
