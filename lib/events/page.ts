export interface Page {
  hostname: string;
  pathname: string;
  query: string;
}

const EMAIL = /[^\s@/?&=#]+@[^\s@/?&=#]+\.[^\s@/?&=#]+/g;
const SECRET_KEYS = /^(token|access_token|id_token|refresh_token|auth|authorization|code|password|pass|pwd|secret|key|api_key|apikey|session|sid|signature|sig|email|e-mail|phone|tel)$/i;
const REDACTED = "redacted";

/** The page's address, with e-mail addresses and credentials in it replaced before anything is stored. */
export function pageFrom(url: URL): Page {
  const query = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    query.append(key, SECRET_KEYS.test(key) ? REDACTED : value.replace(EMAIL, REDACTED));
  }
  const search = query.toString();
  return {
    hostname: url.hostname.replace(/^www\./, ""),
    pathname: decodePath(url.pathname + hashRoute(url)).replace(EMAIL, REDACTED).slice(0, 1024),
    query: search ? `?${search}`.slice(0, 1024) : "",
  };
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
