import { validator } from "hono/validator";
import * as v from "valibot";

/** Validates a JSON body against a schema; a bad body is a 400 naming the field. */
export const jsonBody = <T extends v.GenericSchema>(schema: T) =>
  validator("json", (value, c) => {
    const parsed = parseWith(schema, value);
    return "error" in parsed ? c.json({ error: parsed.error }, 400) : parsed.output;
  });

/** The value as the schema reads it, or what is wrong with it, naming the field. */
export function parseWith<T extends v.GenericSchema>(schema: T, value: unknown): { output: v.InferOutput<T> } | { error: string } {
  const parsed = v.safeParse(schema, value);
  if (parsed.success) return { output: parsed.output as v.InferOutput<T> };
  const issue = parsed.issues[0];
  const path = v.getDotPath(issue);
  return { error: path ? `${path}: ${issue.message}` : issue.message };
}
