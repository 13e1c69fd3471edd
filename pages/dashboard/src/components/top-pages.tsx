import { Index, Show } from "solid-js";
import { formatNumber, fullNumber } from "../format";
import type { PageStats } from "../stats";

export function TopPages(props: { pages: PageStats[] }) {
  const max = () => Math.max(1, ...props.pages.map((page) => page.visitors));
  return (
    <div class="top-pages" data-testid="top-pages">
      <Show when={props.pages.length > 0} fallback={<p class="empty">No pageviews in this period yet.</p>}>
        <table>
          <thead>
            <tr>
              <th scope="col">Page</th>
              <th scope="col" class="num">
                Visitors
              </th>
              <th scope="col" class="num">
                Pageviews
              </th>
            </tr>
          </thead>
          <tbody>
            <Index each={props.pages}>
              {(page) => (
                <tr data-testid="top-page-row">
                  <td class="path" style={{ "--share": `${(page().visitors / max()) * 100}%` }}>
                    <span data-testid="top-page-path" title={page().path}>
                      {page().path}
                    </span>
                  </td>
                  <td class="num" data-testid="top-page-visitors" title={fullNumber(page().visitors)}>
                    {formatNumber(page().visitors)}
                  </td>
                  <td class="num" data-testid="top-page-pageviews" title={fullNumber(page().pageviews)}>
                    {formatNumber(page().pageviews)}
                  </td>
                </tr>
              )}
            </Index>
          </tbody>
        </table>
      </Show>
    </div>
  );
}
