import { createMemo } from "solid-js";
import { buildSnippet, collectorBasePath, type SnippetSettings } from "./snippet";
import { CopyButton } from "./ui";

const BASE_PATH = collectorBasePath(import.meta.env.VITE_PIXEL_COLLECTOR_PATH as string | undefined);

/** The site's tracking snippet with a copy button, and where it goes. */
export function SnippetBox(props: { site: SnippetSettings & { domain: string } }) {
  const snippet = createMemo(() => buildSnippet(props.site, BASE_PATH));
  let code: HTMLElement | undefined;
  return (
    <div class="snippet" data-testid="snippet-box">
      <p>
        Paste this into the <code>&lt;head&gt;</code> of every page of <strong>{props.site.domain}</strong>, before other
        scripts. It loads <code>{`${BASE_PATH}/${props.site.scriptName}`}</code> from the site's own domain, where the
        Pixel collector answers (your Cloudflare route <code>{`${props.site.domain}${BASE_PATH}/*`}</code>, set up by{" "}
        <code>npm run deploy</code>), so no third-party request is made and no cookie is set.
      </p>
      <div class="snippet-code">
        <pre tabindex="0" aria-label="Tracking snippet" data-testid="snippet">
          <code ref={code}>{snippet()}</code>
        </pre>
        <CopyButton text={snippet()} target={() => code} label="Copy snippet" testId="copy-snippet" />
      </div>
    </div>
  );
}
