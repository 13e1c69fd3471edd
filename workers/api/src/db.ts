import { drizzle } from "drizzle-orm/d1";
import * as schema from "@pixel/lib/d1/schema";

export const database = (d1: D1Database) => drizzle(d1, { schema });
