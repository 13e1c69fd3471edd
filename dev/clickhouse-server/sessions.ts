import type { ChdbConnection, ChdbEngine } from "./engine";
import { clickHouseError } from "./errors";

export interface SessionRequest {
  id: string;
  timeoutSeconds: number;
  /** `session_check=1`: fail instead of creating the session. */
  mustExist: boolean;
  /** The user the session belongs to: another user's request never reaches it. */
  owner?: string;
}

/** An HTTP session: one chDB connection kept between requests that carry the same session_id. */
export interface Session {
  readonly id: string;
  readonly key: string;
  connection?: ChdbConnection;
  inUse: boolean;
  timeoutMs: number;
  expiry?: NodeJS.Timeout;
}

export class SessionRegistry {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly engine: ChdbEngine,
    private readonly log: (line: string) => void,
  ) {}

  /** Like a real server, a session serves one request at a time and fails a concurrent one. */
  async run<T>(request: SessionRequest, work: (session: Session) => Promise<T>): Promise<T> {
    const session = this.#claim(request);
    try {
      return await work(session);
    } finally {
      session.inUse = false;
      if (this.#sessions.get(session.key) === session) this.#armExpiry(session);
    }
  }

  /** Drops a session whose state can no longer be trusted; call from inside `engine.exclusive`. */
  discard(session: Session): void {
    clearTimeout(session.expiry);
    this.#sessions.delete(session.key);
    session.connection?.close();
  }

  /** Closes every session connection; call from inside `engine.exclusive`. */
  closeAll(): void {
    for (const session of this.#sessions.values()) this.discard(session);
  }

  #claim(request: SessionRequest): Session {
    const key = `${request.owner ?? ""}\u0000${request.id}`;
    const existing = this.#sessions.get(key);
    if (existing?.inUse) {
      throw clickHouseError("SESSION_IS_LOCKED", `Session ${request.id} is locked by a concurrent client`);
    }
    if (!existing && request.mustExist) {
      throw clickHouseError("SESSION_NOT_FOUND", `Session ${request.id} not found`);
    }
    const session = existing ?? { id: request.id, key, inUse: false, timeoutMs: 0 };
    clearTimeout(session.expiry);
    session.inUse = true;
    session.timeoutMs = request.timeoutSeconds * 1000;
    this.#sessions.set(key, session);
    return session;
  }

  #armExpiry(session: Session): void {
    session.expiry = setTimeout(() => this.#expire(session), session.timeoutMs);
    session.expiry.unref();
  }

  /** Expiry is only armed while the session is idle; its connection closes once the engine is free. */
  #expire(session: Session): void {
    this.#sessions.delete(session.key);
    this.engine
      .exclusive(async () => session.connection?.close())
      .catch((error: unknown) => this.log(`closing expired session ${session.id} failed: ${String(error)}`));
  }
}
