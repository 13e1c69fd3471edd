import { createEffect, createResource, Match, onCleanup, Switch } from "solid-js";
import { ApiError, setBearerToken } from "../api/client";
import { sharedSite } from "../api/share";
import { ErrorText, Message } from "../components/message";
import type { View } from "../view";
import { SitePage } from "./site";

/** A public, read-only overview of one site, opened with a share link's token; no account needed. */
export function SharePage(props: { token: string; view: View }) {
  const [site, { refetch }] = createResource(
    () => props.token,
    async (token) => {
      setBearerToken(undefined);
      const found = await sharedSite(token);
      // Every stats query of the overview now goes out with the token instead of a session cookie.
      setBearerToken(token);
      return found;
    },
  );
  onCleanup(() => setBearerToken(undefined));
  createEffect(() => {
    if (site.error) document.title = "Share link not valid · Pixel";
  });
  const invalid = () => site.error instanceof ApiError && site.error.status === 404;

  return (
    <Switch fallback={<Message title="Loading the shared dashboard…" busy />}>
      <Match when={invalid()}>
        <Message title="This share link doesn't work">
          <p data-testid="share-invalid">
            The link is not valid (any more): the site's admins may have turned sharing off or made a new link. Ask
            whoever sent it for a current one.
          </p>
        </Message>
      </Match>
      <Match when={site.error}>
        <Message title="Can't open the shared dashboard">
          <ErrorText error={site.error} onRetry={refetch} />
        </Message>
      </Match>
      <Match when={site.state === "ready" && site()}>
        {(found) => <SitePage site={{ ...found(), role: "viewer" }} view={props.view} access={{ kind: "share", token: props.token }} />}
      </Match>
    </Switch>
  );
}
