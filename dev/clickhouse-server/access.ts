// What a real server's access control does for a user from deploy/clickhouse/users.sql: the profile's settings
// and constraints, and grants per database. chDB has no access management of its own; `SET readonly = N` on
// the user's connection is the one part it enforces itself.
import type { LocalUser } from "@pixel/lib/clickhouse/node/users";
import type { ClickHouseUser, SettingRule } from "@pixel/lib/clickhouse/users";
import { clickHouseError } from "./errors";
import type { StatementShape } from "./sql";

/** Databases everyone may read, as on a real server (system.one, system.numbers, ...). */
const PUBLIC_DATABASES = new Set(["system", "INFORMATION_SCHEMA", "information_schema"]);

const READ_KINDS = new Set(["SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS", "EXPLAIN"]);
const UNCHECKED_KINDS = new Set(["SET", "USE"]);
const DATABASE_OBJECTS = new Set(["TABLE", "VIEW", "DICTIONARY", "DATABASE"]);

/** Table functions and functions that reach outside ClickHouse need source grants no Pixel user has. */
const SOURCE_FUNCTIONS: Record<string, string> = {
  FILE: "FILE", FILECLUSTER: "FILE", URL: "URL", URLCLUSTER: "URL", S3: "S3", S3CLUSTER: "S3", GCS: "S3",
  HDFS: "HDFS", AZUREBLOBSTORAGE: "AZURE", REMOTE: "REMOTE", REMOTESECURE: "REMOTE", CLUSTER: "REMOTE",
  MYSQL: "MYSQL", POSTGRESQL: "POSTGRES", SQLITE: "SQLITE", JDBC: "JDBC", ODBC: "ODBC", MONGODB: "MONGO",
  REDIS: "REDIS", EXECUTABLE: "SOURCES", DELTALAKE: "S3", ICEBERG: "S3", HUDI: "S3", CLUSTERALLREPLICAS: "REMOTE",
};

/**
 * Functions that read tables named in their arguments as strings (`merge('other', '.*')`), where the checks below
 * cannot see the database: refused unless the user may read every database, which no Pixel user may.
 */
const TABLE_NAMING_FUNCTIONS = new Set([
  "MERGE", "LOOP", "MERGETREEINDEX", "MERGETREEPROJECTION", "MERGETREEANALYZEINDEXES", "DICTIONARY", "JOINGET", "JOINGETORNULL",
]);
const namesTables = (name: string) => TABLE_NAMING_FUNCTIONS.has(name) || name.startsWith("DICTGET") || name.startsWith("DICTHAS") || name.startsWith("DICTIS");

/** The user's profile values: the profile's `readonly` is applied last, as it stops later changes. */
export function profileSettings(access: ClickHouseUser | undefined): Map<string, string> {
  const settings = new Map<string, string>();
  for (const [name, rule] of Object.entries(access?.settings ?? {})) {
    if (rule.value !== undefined) settings.set(name, rule.value);
  }
  return settings;
}

export const readonlyLevel = (access: ClickHouseUser | undefined) => Number(access?.settings.readonly?.value ?? 0);

/** Settings a readonly = 1 user may still change (CHANGEABLE_IN_READONLY); they are applied before `readonly`. */
export const changeableInReadonly = (access: ClickHouseUser | undefined, name: string) =>
  access?.settings[name]?.writability === "CHANGEABLE_IN_READONLY";

/** Refuses a change that breaks the profile's constraints, with the real server's code and message. */
export function checkSettingChanges(access: ClickHouseUser | undefined, changes: Iterable<[string, string]>): void {
  if (!access) return;
  for (const [name, value] of changes) {
    const rule: SettingRule | undefined = access.settings[name];
    if (!rule || name === "readonly") continue;
    if (rule.writability === "CONST") {
      if (value !== rule.value) throw clickHouseError("SETTING_CONSTRAINT_VIOLATION", `Setting ${name} should not be changed`);
      continue;
    }
    if (rule.min === undefined && rule.max === undefined) continue;
    const number = settingNumber(name, value);
    if (rule.min !== undefined && number < Number(rule.min)) {
      throw clickHouseError("SETTING_CONSTRAINT_VIOLATION", `Setting ${name} shouldn't be less than ${rule.min}`);
    }
    if (rule.max !== undefined && number > Number(rule.max)) {
      throw clickHouseError("SETTING_CONSTRAINT_VIOLATION", `Setting ${name} shouldn't be greater than ${rule.max}`);
    }
  }
}

const SIZE_SUFFIXES: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * A bounded setting's value as the server reads it: ClickHouse takes size suffixes (`10G`, `5Gi`), which `Number`
 * reads as NaN, and NaN passes every bound. A value read neither way is refused rather than passed on unchecked.
 */
function settingNumber(name: string, value: string): number {
  const suffixed = /^\+?(\d+)([kKMGTPE])(i?)$/.exec(value);
  const number = suffixed ? Number(suffixed[1]) * (suffixed[3] ? 1024 ** ("KMGTPE".indexOf(suffixed[2]!.toUpperCase()) + 1) : SIZE_SUFFIXES[suffixed[2]!]!) : Number(value);
  if (value.trim() === "" || Number.isNaN(number)) throw clickHouseError("CANNOT_PARSE_NUMBER", `Cannot parse '${value}' as a number for setting ${name}`);
  return number;
}

/**
 * Refuses a statement the user has no grant for. The databases it touches are the current one, the target of
 * CREATE/DROP DATABASE, and every `db.` qualifier naming an existing database.
 */
export function checkGrants(
  user: LocalUser,
  statement: StatementShape,
  context: { currentDatabase: string; databases: Set<string>; queryParams: Record<string, string> },
): void {
  const { access } = user;
  if (!access || UNCHECKED_KINDS.has(statement.kind)) return;
  const privileges = requiredPrivileges(statement);
  const functions = statement.functions.map((name) => name.toUpperCase());
  const source = functions.map((name) => SOURCE_FUNCTIONS[name]).find(Boolean);
  if (source) throw notEnoughPrivileges(user.name, `${source} ON *.*`);
  if (functions.some(namesTables)) throw notEnoughPrivileges(user.name, `${privileges[0]} ON *.*`);
  for (const database of touchedDatabases(statement, context)) {
    for (const privilege of privileges) {
      if (PUBLIC_DATABASES.has(database) && privilege === "SELECT") continue;
      const granted = access.grants.some((grant) => grant.database === database && grant.privileges.some((held) => covers(held, privilege)));
      if (!granted) throw notEnoughPrivileges(user.name, `${privilege} ON ${database}.*`);
    }
  }
}

/** ALTER's commands need their own privileges: a DELETE or UPDATE command one of its own, any other command ALTER. */
const ALTER_COMMAND_PRIVILEGES: Record<string, string> = { DELETE: "ALTER DELETE", UPDATE: "ALTER UPDATE" };

function requiredPrivileges(statement: StatementShape): string[] {
  const [kind, ...rest] = statement.words;
  if (READ_KINDS.has(statement.kind)) return ["SELECT"];
  if (kind === "DELETE") return ["ALTER DELETE"];
  if (kind === "ALTER") return [...new Set((statement.alterCommands ?? [""]).map((command) => ALTER_COMMAND_PRIVILEGES[command] ?? "ALTER"))];
  if (kind === "CREATE" || kind === "DROP" || kind === "ATTACH" || kind === "DETACH") {
    const object = rest.find((word) => DATABASE_OBJECTS.has(word)) ?? "TABLE";
    return [`${kind === "ATTACH" ? "CREATE" : kind === "DETACH" ? "DROP" : kind} ${object}`];
  }
  return [statement.kind];
}

/** `ALL` covers everything; `ALTER` covers `ALTER DELETE`; `CREATE TABLE` covers nothing but itself. */
function covers(held: string, required: string): boolean {
  return held === "ALL" || held === required || required.startsWith(`${held} `);
}

function touchedDatabases(
  statement: StatementShape,
  context: { currentDatabase: string; databases: Set<string>; queryParams: Record<string, string> },
): Set<string> {
  const parameters = statement.identifierParameters.flatMap((name) => context.queryParams[name] ?? []);
  const touched = new Set([...statement.qualifiers, ...parameters].filter((name) => context.databases.has(name)));
  const target = statement.databaseTarget;
  if (target !== undefined) {
    const parameter = /^\{\s*(\w+)\s*:\s*Identifier\s*\}$/i.exec(target)?.[1];
    touched.add(parameter === undefined ? target : (context.queryParams[parameter] ?? target));
  } else {
    touched.add(context.currentDatabase);
  }
  return touched;
}

function notEnoughPrivileges(user: string, grant: string) {
  return clickHouseError(
    "ACCESS_DENIED",
    `${user}: Not enough privileges. To execute this query, it's necessary to have the grant ${grant}`,
  );
}
