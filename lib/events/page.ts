import { REDACTED, redactEmails } from "./pii";

export interface Page {
  hostname: string;
  pathname: string;
  query: string;
}

const SECRET_KEYS = /^(token|access_token|id_token|refresh_token|auth|authorization|code|password|pass|pwd|secret|key|api_key|apikey|session|sid|signature|sig|email|e-mail|phone|tel)$/i;

/** The page's address, with e-mail addresses and credentials in it replaced before anything is stored. */
export function pageFrom(url: URL): Page {
  const search = url.search ? redactedQuery(url.searchParams) : "";
  return {
    hostname: url.hostname.replace(/^www\./, ""),
    pathname: redactedPath(url.pathname + hashRoute(url)).slice(0, 1024),
    query: search ? `?${search}`.slice(0, 1024) : "",
  };
}

/** Most queries hold nothing to redact: they are serialised as they are, without building a copy. */
function redactedQuery(params: URLSearchParams): string {
  if (!holdsSecrets(params)) return params.toString();
  const query = new URLSearchParams();
  for (const [key, value] of params) {
    query.append(key, SECRET_KEYS.test(key) ? REDACTED : redactEmails(value));
  }
  return query.toString();
}

function holdsSecrets(params: URLSearchParams): boolean {
  for (const [key, value] of params) if (SECRET_KEYS.test(key) || value.includes("@")) return true;
  return false;
}

function redactedPath(pathname: string): string {
  const decoded = pathname.includes("%") ? decodePath(pathname) : pathname;
  return redactEmails(decoded);
}

/** Hash-routed apps (`#/inbox`, `#!/inbox`) keep their route in the fragment; a plain `#section` is no page. */
const hashRoute = (url: URL) => (/^#!?\//.test(url.hash) ? url.hash.split("?")[0]! : "");

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
