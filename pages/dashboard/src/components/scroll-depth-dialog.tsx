import { For, onMount } from "solid-js";
import { scrollDepth } from "../api/page-reports";
import { formatNumber, formatPercent } from "../format";
import { createLive } from "../live";
import type { Scope } from "../stats";
import { LiveState } from "./panel";

/**
 * How far a page's visits scrolled (loaded lazily, opened from the pages' scroll depth): the share of the visits
 * with an engagement hit there whose deepest scroll fell in each tenth of the page.
 */
export default function ScrollDepthDialog(props: { scope: Scope; page: string; tick: number; settled: boolean; onClose: () => void; onRetry: () => void }) {
  let dialog: HTMLDialogElement | undefined;
  const live = createLive(() => JSON.stringify([props.scope, props.page]), () => props.tick, (signal) => scrollDepth(props.scope, props.page, signal), () => props.settled);
  onMount(() => dialog?.showModal());

  return (
    <dialog
      ref={dialog}
      class="details-dialog"
      aria-labelledby="scroll-depth-title"
      data-testid="scroll-depth-dialog"
      onClose={() => props.onClose()}
      onClick={(event) => event.target === dialog && dialog.close()}
    >
      <div class="dialog-body">
        <header class="dialog-head">
          <h2 id="scroll-depth-title">Scroll depth of {props.page}</h2>
          <button type="button" class="button" onClick={() => dialog?.close()} aria-label="Close">
            ✕
          </button>
        </header>
        <LiveState live={live} onRetry={props.onRetry}>
          {(data) => (
            <>
              <p data-testid="scroll-depth-visits">
                {formatNumber(data().visits)} {data().visits === 1 ? "visit" : "visits"} sent an engagement hit from this page; each counts once, at the deepest
                it scrolled.
              </p>
              <table class="bar-list">
                <thead>
                  <tr>
                    <th scope="col">Deepest scroll</th>
                    <th scope="col" class="num">Visits</th>
                    <th scope="col" class="num">Share</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={data().buckets}>
                    {(bucket) => (
                      <tr data-testid="scroll-depth-bucket">
                        <td class="value" style={{ "--share": `${bucket.percentage}%` }}>
                          <span class="label">
                            {bucket.from}–{bucket.to} %
                          </span>
                        </td>
                        <td class="num">{formatNumber(bucket.visits)}</td>
                        <td class="num" data-testid="scroll-depth-share">{formatPercent(bucket.percentage)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </>
          )}
        </LiveState>
      </div>
    </dialog>
  );
}
