interface Env {
  API: Fetcher;
}

/**
 * A share page is the dashboard's index.html with the `_headers` CSP, which forbids framing; when the site's owner
 * lets the site's own pages embed it, the api names those origins and they replace `frame-ancestors 'none'`.
 */
export const onRequestGet: PagesFunction<Env, "token"> = async ({ request, env, params, next }) => {
  const page = await next();
  const share = await env.API.fetch(new URL(`/api/share/${encodeURIComponent(String(params.token))}`, request.url));
  const frameAncestors = share.ok ? ((await share.json()) as { frameAncestors: string[] }).frameAncestors : [];
  if (!frameAncestors.length) return page;
  const headers = new Headers(page.headers);
  const policy = headers.get("content-security-policy") ?? "";
  headers.set("content-security-policy", policy.replace("frame-ancestors 'none'", `frame-ancestors ${frameAncestors.join(" ")}`));
  return new Response(page.body, { status: page.status, headers });
};
