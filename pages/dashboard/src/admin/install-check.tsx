import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { formatNumber, plural } from "../format";
import { Link } from "../components/link";
import { adminApi } from "./api";
import { actionError } from "./errors";

const EVERY_MS = 3000;

/** Asks the stats API every few seconds whether the site's first pageview has arrived, and turns green when it has. */
export function InstallCheck(props: { siteId: string; overviewHref: string }) {
  const [pageviews, setPageviews] = createSignal(0);
  const [error, setError] = createSignal<unknown>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let stopped = false;

  async function check() {
    controller = new AbortController();
    try {
      const count = await adminApi.pageviews(props.siteId, controller.signal);
      setPageviews(count);
      setError(undefined);
    } catch (reason) {
      if (controller.signal.aborted) return;
      setError(() => reason);
    }
    if (!stopped && pageviews() === 0) timer = setTimeout(check, EVERY_MS);
  }
  onMount(check);
  onCleanup(() => {
    stopped = true;
    clearTimeout(timer);
    controller?.abort();
  });

  const receiving = () => pageviews() > 0;
  return (
    <section
      class={`card install-check ${receiving() ? "ok" : ""}`}
      aria-labelledby="install-check-title"
      data-testid="install-check"
      data-state={receiving() ? "receiving" : "waiting"}
    >
      <h3 id="install-check-title">
        <span class={`live-dot ${receiving() ? "" : "waiting"}`} aria-hidden="true" />
        Install check
      </h3>
      <p role="status" data-testid="install-status">
        <Show
          when={receiving()}
          fallback={
            <>
              Waiting for the first pageview… Open a page of the site in a browser; this checks every few seconds.
            </>
          }
        >
          <strong>Receiving data</strong> — {formatNumber(pageviews())} {plural(pageviews(), "pageview", "pageviews")} so
          far.
        </Show>
      </p>
      <Show when={error() && !receiving()}>
        <p class="alert" data-testid="install-error">
          The check failed: {actionError(error())} It keeps trying.
        </p>
      </Show>
      <Show when={receiving()}>
        <p>
          <Link href={props.overviewHref} class="button primary" data-testid="go-to-overview">
            Open the overview
          </Link>
        </p>
      </Show>
    </section>
  );
}
