import { createBatchedQuery } from "./batch";
import type { Annotation } from "../annotations";
import type { Segment } from "@pixel/lib/segments";
import type { SiteOverview } from "@pixel/lib/stats/overview";
import { type MoneyAnswer, withoutMoney } from "@pixel/lib/stats/money";
import type { Goal, Query, QueryResponse, Site, User } from "./types";

export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** Status 0: the request never got an HTTP answer. */
export const NETWORK_ERROR = 0;

const origin = (import.meta.env.VITE_PIXEL_API_ORIGIN ?? "").replace(/\/+$/, "");

let onUnauthorized: (() => void) | undefined;
let bearerToken: string | undefined;

/** Share pages call the API with the share link's token instead of a session cookie. */
export function setBearerToken(token: string | undefined): void {
  bearerToken = token;
}

/** Called when a request outside /api/auth/ gets a 401, i.e. the session has ended. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A request body sent as CSV (imports) instead of JSON. */
export class CsvBody {
  constructor(readonly text: string) {}
}

export async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await send(method, path, body, signal);
  if (response.status === 204) return undefined as T;
  const data = parseJson(await response.text());
  if (data === undefined) {
    throw new ApiError(response.status, "The API answered with something other than JSON.");
  }
  return data as T;
}

/** The API's answer when it is a success; otherwise an ApiError with the API's message. */
export async function send(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = body instanceof CsvBody ? "text/csv" : "application/json";
  if (bearerToken) headers.authorization = `Bearer ${bearerToken}`;

  let response: Response;
  try {
    response = await fetch(origin + path, {
      method,
      headers,
      credentials: bearerToken ? "omit" : "include",
      body: body === undefined ? undefined : body instanceof CsvBody ? body.text : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(NETWORK_ERROR, "Can't reach the Pixel API.");
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith("/api/auth/")) onUnauthorized?.();
    throw new ApiError(response.status, errorMessage(response, parseJson(await response.text())));
  }
  return response;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function errorMessage(response: { status: number; statusText: string }, data: unknown): string {
  if (typeof data === "object" && data !== null && "error" in data && typeof data.error === "string" && data.error) {
    return data.error;
  }
  return `The API answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`;
}

/** What the person can do about an error, in one sentence. */
export function errorHint(error: unknown): string {
  const status = error instanceof ApiError ? error.status : NETWORK_ERROR;
  if (status === NETWORK_ERROR) return "Check your connection and that the Pixel API is running; it retries every 10 seconds.";
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 403 || status === 404) return "You may not have access to this site. Pick another site or ask an admin.";
  if (status >= 500) return "The API had a problem. It retries every 10 seconds; if this persists, check the API logs.";
  if (status === 200) return "Check that VITE_PIXEL_API_ORIGIN points at the Pixel API.";
  return "Try another date range, or reload the page.";
}

export function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : "Something went wrong.";
}

interface UserBody {
  user: User;
}

/** A right password on an account with two-factor sign-in: a code is owed (`code`), or a first authenticator (`enrol`). */
export interface SecondFactor {
  kind: "code" | "enrol";
  token: string;
}

export type LoginAnswer = UserBody | { secondFactor: SecondFactor };

/** A new authenticator: what to scan or type into the app. */
export interface Enrolment {
  secret: string;
  uri: string;
}

export const api = {
  me: () => request<UserBody>("GET", "/api/auth/me").then((body) => body.user),
  login: (email: string, password: string) => request<LoginAnswer>("POST", "/api/auth/login", { email, password }),
  /** The second step of a sign-in: a code from the authenticator, or a recovery code. */
  verifySecondFactor: (token: string, code: string) =>
    request<UserBody>("POST", "/api/auth/login/verify", { token, code }).then((body) => body.user),
  startSignInEnrolment: (token: string) => request<Enrolment>("POST", "/api/auth/login/enrol", { token }),
  confirmSignInEnrolment: (token: string, code: string) =>
    request<UserBody & { recoveryCodes: string[] }>("POST", "/api/auth/login/confirm", { token, code }),
  logout: () => request<void>("POST", "/api/auth/logout"),
  sites: () => request<{ sites: Site[] }>("GET", "/api/sites").then((body) => body.sites),
  sitesOverview: () => request<{ sites: SiteOverview[] }>("GET", "/api/sites/overview").then((body) => body.sites),
  annotations: (siteId: string, signal?: AbortSignal) =>
    request<{ annotations: Annotation[] }>("GET", `/api/sites/${encodeURIComponent(siteId)}/annotations`, undefined, signal).then(
      (body) => body.annotations,
    ),
  goals: (siteId: string) => request<{ goals: Goal[] }>("GET", `/api/sites/${encodeURIComponent(siteId)}/goals`).then((body) => body.goals),
  segments: (siteId: string) =>
    request<{ segments: Segment[] }>("GET", `/api/sites/${encodeURIComponent(siteId)}/segments`).then((body) => body.segments),
  saveSegment: (siteId: string, segment: Omit<Segment, "id">) =>
    request<{ segment: Segment }>("POST", `/api/sites/${encodeURIComponent(siteId)}/segments`, segment).then((body) => body.segment),
  query: createBatchedQuery({
    one: (query: Query, signal?: AbortSignal) => request<MoneyAnswer>("POST", "/api/v2/query", query, signal).then(withoutMoney),
    many: (queries: Query[]) => send("POST", "/api/v2/queries", { queries }),
    failure: (status: number, message: string) => new ApiError(status, message),
  }),
};
