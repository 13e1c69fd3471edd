import { config } from "./config";
import { randomId } from "./ids";
import { stored } from "./storage";

let inMemory = ""; // when localStorage is unavailable

/** The session token, renewed after `sessionTimeout` minutes without events. */
export function sessionId(now: number): string {
  let [id, lastSeen] = (stored("session") || inMemory).split(".");
  // No id or no time: NaN, which is never below the timeout.
  if (!(now - +lastSeen! < config.sessionTimeout * 60000)) id = randomId();
  stored("session", (inMemory = id + "." + now));
  return id!;
}
