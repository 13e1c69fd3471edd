import { createSignal, Show } from "solid-js";
import { shareUrl } from "../routes";
import { createAction } from "./action";
import { adminApi, type SiteDetails } from "./api";
import { ActionError, ConfirmButton, CopyButton } from "./ui";

/** The public, read-only link to the site's dashboard. Its token is shown only when made. */
export function ShareTab(props: { site: SiteDetails; onChanged: (site: SiteDetails) => void }) {
  const [link, setLink] = createSignal<string>();
  const share = createAction(async () => {
    const token = await adminApi.share(props.site.id);
    setLink(new URL(shareUrl(token), location.origin).href);
    props.onChanged({ ...props.site, publicShare: true });
  });
  const unshare = createAction(async () => {
    await adminApi.unshare(props.site.id);
    setLink(undefined);
    props.onChanged({ ...props.site, publicShare: false });
  });
  const embed = createAction(async (on: boolean) => {
    await adminApi.embedShare(props.site.id, on);
    props.onChanged({ ...props.site, shareEmbed: on });
  });
  let linkInput: HTMLInputElement | undefined;
  const on = () => props.site.publicShare || Boolean(link());

  return (
    <section class="card admin-form" aria-labelledby="share-title" data-testid="share">
      <h3 id="share-title">Share link</h3>
      <p class="muted">
        Anyone with the link sees this site's dashboard, read-only, without signing in. Settings, goals and reports
        can't be changed through it.
      </p>
      <p role="status" data-testid="share-state">
        {on() ? "Sharing is on." : "Sharing is off."}
      </p>
      <Show when={link()}>
        {(url) => (
          <div class="form-field">
            <label for="share-url">The link (copy it now: it can't be shown again)</label>
            <div class="copy-row">
              <input ref={linkInput} id="share-url" readonly value={url()} data-testid="share-url" onFocus={(event) => event.currentTarget.select()} />
              <CopyButton text={url()} target={() => linkInput} testId="copy-share-url" />
            </div>
          </div>
        )}
      </Show>
      <Show when={props.site.publicShare && !link()}>
        <p class="muted">The link was shown when it was made. To get one again, make a new link: the old one stops working.</p>
      </Show>
      <label class="choice">
        <input
          type="checkbox"
          checked={props.site.shareEmbed}
          disabled={embed.pending()}
          onChange={(event) => void embed.run(event.currentTarget.checked)}
          data-testid="share-embed"
        />
        Let pages on https://{props.site.domain} and its subdomains embed the shared dashboard in a frame
      </label>
      <ActionError error={share.error() ?? unshare.error() ?? embed.error()} />
      <div class="form-actions">
        <button type="button" class="button primary" disabled={share.pending()} onClick={() => void share.run()} data-testid="create-share">
          {on() ? "Make a new link" : "Create a share link"}
        </button>
        <Show when={on()}>
          <ConfirmButton label="Turn sharing off" confirmLabel="Turn off: the link stops working" disabled={unshare.pending()} onConfirm={() => void unshare.run()} testId="revoke-share" />
        </Show>
      </div>
    </section>
  );
}
