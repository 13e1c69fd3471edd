import { validator } from "hono/validator";
import * as v from "valibot";

/** Validates a JSON body against a schema; a bad body is a 400 naming the field. */
export const jsonBody = <T extends v.GenericSchema>(schema: T) =>
  validator("json", (value, c) => {
    const parsed = v.safeParse(schema, value);
    if (parsed.success) return parsed.output as v.InferOutput<T>;
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue);
    return c.json({ error: path ? `${path}: ${issue.message}` : issue.message }, 400);
  });
