import type { EventRow } from "../../../lib/events/row";
import type { VisitorSalts } from "./salts";

export interface CollectorEnv {
  HITS: Queue<EventRow>;
  DB: D1Database;
  SALTS: DurableObjectNamespace<VisitorSalts>;
  PIXEL_BASE_PATH?: string;
  PIXEL_SCRIPT_NAME?: string;
  PIXEL_ENDPOINT?: string;
}
