// Reads deploy/clickhouse/users.sql, the one source of Pixel's ClickHouse users, into the access model the local
// ClickHouse enforces. It understands the small SQL subset that file uses and refuses anything else, so the
// local server can never silently enforce less than the file says.

/** The documented user of each part of Pixel (names as in users.sql). */
export const CLICKHOUSE_USERS = {
  migrator: "pixel_migrator",
  flusher: "pixel_writer",
  api: "pixel_reader",
  /** The api's optional second user, for deleting and importing a site's data. */
  data: "pixel_data",
} as const;

/** The database the file grants on; rendering substitutes another. */
export const USERS_SQL_DATABASE = "pixel";

export interface SettingRule {
  value?: string;
  min?: string;
  max?: string;
  writability?: "CONST" | "CHANGEABLE_IN_READONLY";
}

export interface Grant {
  /** Upper-cased, e.g. `SELECT`, `ALTER DELETE`, `CREATE TABLE`. */
  privileges: string[];
  database: string;
}

export interface ClickHouseUser {
  name: string;
  /** As written in IDENTIFIED BY: users.sql itself has placeholders. */
  password?: string;
  /** The user's settings profile, resolved: values and constraints. */
  settings: Record<string, SettingRule>;
  grants: Grant[];
}

type Token = { kind: "word" | "string" | "symbol"; text: string };

const TOKEN = /\s+|--[^\n]*|'((?:[^'\\]|\\.|'')*)'|([A-Za-z_][A-Za-z0-9_]*|\d+)|([,=.*;<>-])/gy;

function tokenize(sql: string): Token[][] {
  const statements: Token[][] = [[]];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < sql.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(sql);
    if (!match) throw new Error(`users.sql: cannot read '${sql.slice(at, at + 20)}'`);
    const [, quoted, word, symbol] = match;
    if (symbol === ";") statements.push([]);
    else if (quoted !== undefined) statements.at(-1)!.push({ kind: "string", text: unescapeString(quoted) });
    else if (word !== undefined) statements.at(-1)!.push({ kind: "word", text: word });
    else if (symbol !== undefined) statements.at(-1)!.push({ kind: "symbol", text: symbol });
  }
  return statements.filter((statement) => statement.length > 0);
}

const ESCAPES: Record<string, string> = {
  b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", a: "\x07", e: "\x1b", 0: "\0", "\\": "\\", "'": "'", '"': '"', "`": "`", "/": "/",
};

/** A string literal's text as ClickHouse reads it: `''` and `\'` are a quote, `\\` a backslash; an unknown escape stays. */
function unescapeString(quoted: string): string {
  return quoted.replace(/''|\\x([0-9A-Fa-f]{2})|\\([\s\S])/g, (escape, hex?: string, char?: string) =>
    escape === "''" ? "'" : hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (ESCAPES[char!] ?? escape),
  );
}

class Reader {
  #at = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): string | undefined {
    return this.tokens[this.#at + offset]?.text.toUpperCase();
  }
  peekKind(): Token["kind"] | undefined {
    return this.tokens[this.#at]?.kind;
  }
  done(): boolean {
    return this.#at >= this.tokens.length;
  }
  accept(...words: string[]): boolean {
    if (!words.every((word, i) => this.peek(i) === word)) return false;
    this.#at += words.length;
    return true;
  }
  expect(...words: string[]): void {
    if (!this.accept(...words)) throw this.error(`expected ${words.join(" ")}`);
  }
  take(kind: Token["kind"]): string {
    const token = this.tokens[this.#at];
    if (token?.kind !== kind) throw this.error(`expected a ${kind}`);
    this.#at++;
    return token.text;
  }
  error(what: string): Error {
    const near = this.tokens.slice(0, this.#at + 1).map((token) => token.text).join(" ");
    return new Error(`users.sql: ${what} near '${near}'`);
  }
}

/** What a run of users.sql statements has built: profiles, roles and users, by name, as a server keeps them. */
export interface AccessState {
  profiles: Map<string, Record<string, SettingRule>>;
  roles: Map<string, { profile?: string; grants: Grant[] }>;
  users: Map<string, { password: string; profile?: string; grants: Grant[]; roles: string[] }>;
}

export const emptyAccess = (): AccessState => ({ profiles: new Map(), roles: new Map(), users: new Map() });

/** The users the file creates, each with its profile's settings and its grants. */
export function parseUsersSql(sql: string): ClickHouseUser[] {
  return resolveUsers(applyUsersSql(sql, emptyAccess()));
}

/**
 * Applies each statement to `state` as ClickHouse does: `OR REPLACE` replaces (and drops the old grants),
 * `IF NOT EXISTS` keeps what exists, a plain CREATE of an existing name fails; GRANT adds. So the file runs again
 * to the same result.
 */
export function applyUsersSql(sql: string, state: AccessState): AccessState {
  for (const tokens of tokenize(sql)) parseStatement(new Reader(tokens), state);
  return state;
}

/** Each user with its password, its profile's settings and its own and its roles' grants. */
export function resolveUsers(state: AccessState): ClickHouseUser[] {
  return [...state.users].map(([name, user]) => {
    const roles = user.roles.map((role) => state.roles.get(role)!);
    const profile = user.profile ?? roles.find((role) => role.profile !== undefined)?.profile;
    if (profile !== undefined && !state.profiles.has(profile)) {
      throw new Error(`users.sql: user ${name} uses the unknown settings profile '${profile}'`);
    }
    const settings = profile === undefined ? {} : state.profiles.get(profile)!;
    return { name, password: user.password, settings, grants: [...user.grants, ...roles.flatMap((role) => role.grants)] };
  });
}

function parseStatement(reader: Reader, state: AccessState): void {
  if (reader.accept("CREATE", "DATABASE")) {
    reader.accept("IF", "NOT", "EXISTS");
    reader.take("word");
  } else if (reader.accept("CREATE", "SETTINGS", "PROFILE")) {
    const create = createMode(reader, "settings profile", state.profiles);
    reader.expect("SETTINGS");
    create(settingRules(reader));
  } else if (reader.accept("CREATE", "USER")) {
    const create = createMode(reader, "user", state.users);
    reader.expect("IDENTIFIED");
    if (reader.accept("WITH")) passwordMethod(reader);
    reader.expect("BY");
    const password = reader.take("string");
    create({ password, profile: profileClause(reader), grants: [], roles: [] });
  } else if (reader.accept("CREATE", "ROLE")) {
    const create = createMode(reader, "role", state.roles);
    create({ profile: profileClause(reader), grants: [] });
  } else if (reader.accept("GRANT")) {
    parseGrant(reader, state);
  } else {
    throw reader.error("only CREATE DATABASE, CREATE SETTINGS PROFILE, CREATE ROLE, CREATE USER and GRANT are understood");
  }
  if (!reader.done()) throw reader.error("unexpected text");
}

/** Methods whose BY is the password itself; the `*_hash` ones give a hash, which the local server cannot check. */
const PASSWORD_METHODS = new Set(["plaintext_password", "sha256_password", "double_sha1_password", "bcrypt_password"]);

function passwordMethod(reader: Reader): void {
  const method = reader.take("word");
  if (!PASSWORD_METHODS.has(method.toLowerCase())) {
    throw reader.error(`IDENTIFIED WITH ${method} is not understood: give the password itself, with ${[...PASSWORD_METHODS].join(", ")}`);
  }
}

/** Reads `[OR REPLACE | IF NOT EXISTS] name`; the returned function stores the new entry as the mode says. */
function createMode<T>(reader: Reader, what: string, entries: Map<string, T>): (entry: T) => void {
  const mode = reader.accept("IF", "NOT", "EXISTS") ? "keep" : reader.accept("OR", "REPLACE") ? "replace" : "create";
  const name = reader.take("word");
  if (mode === "create" && entries.has(name)) throw new Error(`users.sql: ${what} \`${name}\`: cannot insert because ${what} \`${name}\` already exists`);
  return (entry) => {
    if (mode !== "keep" || !entries.has(name)) entries.set(name, entry);
  };
}

function profileClause(reader: Reader): string | undefined {
  return reader.accept("SETTINGS", "PROFILE") ? reader.take("string") : undefined;
}

/** `name [= value] [MIN [=] v] [MAX [=] v] [CONST|READONLY|WRITABLE|CHANGEABLE_IN_READONLY]`, comma-separated. */
function settingRules(reader: Reader): Record<string, SettingRule> {
  const rules: Record<string, SettingRule> = {};
  do {
    const name = reader.take("word");
    const rule: SettingRule = {};
    if (reader.accept("=")) rule.value = settingValue(reader);
    if (reader.accept("MIN")) rule.min = (reader.accept("="), settingValue(reader));
    if (reader.accept("MAX")) rule.max = (reader.accept("="), settingValue(reader));
    if (reader.accept("CONST") || reader.accept("READONLY")) rule.writability = "CONST";
    else if (reader.accept("CHANGEABLE_IN_READONLY")) rule.writability = "CHANGEABLE_IN_READONLY";
    else reader.accept("WRITABLE");
    rules[name] = rule;
  } while (reader.accept(","));
  return rules;
}

function settingValue(reader: Reader): string {
  const sign = reader.accept("-") ? "-" : "";
  return sign + (reader.peekKind() === "string" ? reader.take("string") : reader.take("word"));
}

/** `GRANT priv[, priv] ON db.* TO name[, name]` (a user or a role), or `GRANT role[, role] TO user[, user]`. */
function parseGrant(reader: Reader, state: AccessState): void {
  const named: string[] = [];
  do {
    const words: string[] = [reader.take("word")];
    while (reader.peek() !== "," && reader.peek() !== "ON" && reader.peek() !== "TO") words.push(reader.take("word"));
    named.push(words.join(" "));
  } while (reader.accept(","));
  if (reader.accept("TO")) return grantRoles(reader, state, named);
  const privileges = named.map((privilege) => privilege.toUpperCase());
  reader.expect("ON");
  const database = reader.take("word");
  reader.expect(".");
  reader.expect("*");
  reader.expect("TO");
  do {
    const name = reader.take("word");
    const grantee = state.users.get(name) ?? state.roles.get(name);
    if (!grantee) throw reader.error(`GRANT to ${name}, who is not created above`);
    grantee.grants.push({ privileges, database });
  } while (reader.accept(","));
}

function grantRoles(reader: Reader, state: AccessState, roleNames: string[]): void {
  const missing = roleNames.find((name) => !state.roles.has(name));
  if (missing) throw reader.error(`GRANT of the role ${missing}, which is not created above`);
  do {
    const name = reader.take("word");
    const user = state.users.get(name);
    if (!user) throw reader.error(`GRANT to ${name}, who is not created above`);
    for (const role of roleNames) if (!user.roles.includes(role)) user.roles.push(role);
  } while (reader.accept(","));
}

/** The file for another database than `pixel` (grants and CREATE DATABASE); the password placeholders stay. */
export function renderUsersSql(sql: string, database: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`'${database}' is not a plain ClickHouse database name`);
  return sql
    .replace(new RegExp(`\\bON ${USERS_SQL_DATABASE}\\.\\*`, "g"), `ON ${database}.*`)
    .replace(new RegExp(`(CREATE DATABASE IF NOT EXISTS )${USERS_SQL_DATABASE};`), `$1${database};`);
}

/** Each user's grants on the file's database, given on every one of `databases` instead (test rooms). */
export function grantedOn(users: ClickHouseUser[], databases: readonly string[]): ClickHouseUser[] {
  return users.map((user) => ({
    ...user,
    grants: user.grants.flatMap((grant) =>
      grant.database === USERS_SQL_DATABASE ? databases.map((database) => ({ ...grant, database })) : [grant],
    ),
  }));
}
