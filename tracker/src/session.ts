import { config } from "./config";
import { randomId } from "./ids";
import { read, write } from "./storage";

let inMemory = ""; // when localStorage is unavailable

/** The session token, renewed after `sessionTimeout` minutes without events. */
export function sessionId(now: number): string {
  let [id, lastSeen] = (read("session") || inMemory).split(".");
  if (!id || !(now - +lastSeen! < config.sessionTimeout * 60000)) id = randomId();
  write("session", (inMemory = id + "." + now));
  return id;
}
