import { QueryError } from "@pixel/lib/stats/error";

/** One v1 filter expression: a dimension, an operator and `|`-separated values. */
const EXPRESSION = /^((?:event|visit):[^=!~]+?)(==|!=|~)(.*)$/s;

/**
 * Plausible's v1 filter string, `event:page==/blog/**;visit:country==DE|FR`, as v2 filters: `;` joins expressions with
 * AND, `|` separates values (`\|` is a literal bar), `==`/`!=` compare exactly, `~` looks for a part of the value, and
 * in `==`/`!=` values `**` matches anything and `*` anything but `/`. Dimensions are checked by the v2 query.
 */
export function parseV1Filters(text: string): unknown[] {
  if (!text.trim()) return [];
  return text.split(";").map((expression, i) => {
    const match = EXPRESSION.exec(expression.trim());
    if (!match) throw new QueryError(`filters: expression ${i + 1} (${JSON.stringify(expression)}) is not dimension==value, dimension!=value or dimension~value`);
    const [, dimension, operator, rest] = match as unknown as [string, string, "==" | "!=" | "~", string];
    const values = splitValues(rest);
    if (values.some((value) => value === "")) throw new QueryError(`filters: expression ${i + 1} (${JSON.stringify(expression)}) has an empty value`);
    if (operator === "~") return ["contains", dimension, values];
    const wildcard = values.some((value) => value.includes("*"));
    if (!wildcard) return [operator === "==" ? "is" : "is_not", dimension, values];
    return [operator === "==" ? "matches" : "matches_not", dimension, values.map(wildcardPattern)];
  });
}

/** Values split at each `|` that is not escaped as `\|`. */
function splitValues(text: string): string[] {
  const values: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && text[i + 1] === "|") current += text[++i];
    else if (text[i] !== "|") current += text[i];
    else {
      values.push(current);
      current = "";
    }
  }
  return [...values, current];
}

/** A wildcard value as an anchored re2 pattern: `**` anything, `*` anything but `/`, the rest literal. */
export function wildcardPattern(value: string): string {
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = value
    .split("**")
    .map((part) => part.split("*").map(literal).join("[^/]*"))
    .join(".*");
  return `^${pattern}$`;
}
