import { createResource, For, Show } from "solid-js";
import { api } from "../api/client";
import type { Site, User } from "../api/types";
import { Link } from "../components/link";
import { ErrorText } from "../components/message";
import { PageFrame } from "../components/page-frame";
import { Sparkline } from "../components/sparkline";
import { changePercent, formatChange, formatNumber, isImprovement } from "../format";
import { siteUrl } from "../routes";

/** Every site the person can see, with its visitors at a glance, from one request. */
export function HomePage(props: { sites: Site[]; user: User; onLogout: () => void }) {
  const [overview, { refetch }] = createResource(() => api.sitesOverview());
  const of = (siteId: string) => overview()?.find((entry) => entry.site_id === siteId);
  const loading = "…";
  return (
    <PageFrame sites={props.sites} user={props.user} place="home" title="All sites" onLogout={props.onLogout}>
      <Show when={overview.error}>
        <ErrorText error={overview.error} onRetry={refetch} />
      </Show>
      <div class="table-scroll">
        <table class="sites-overview" data-testid="sites-overview">
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Visitors today</th>
              <th scope="col">Last 7 days</th>
              <th scope="col">
                <span class="sr-only">Visitors per day</span>
              </th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.sites}>
              {(site) => {
                const numbers = () => of(site.id);
                const change = () => {
                  const entry = numbers();
                  return entry ? changePercent(entry.visitors_7d, entry.visitors_previous_7d) : null;
                };
                return (
                  <tr data-testid="site-row">
                    <th scope="row">
                      <Link href={siteUrl(site.id)}>{site.name || site.domain}</Link>
                    </th>
                    <td data-testid="site-today">{numbers() ? formatNumber(numbers()!.visitors_today) : loading}</td>
                    <td data-testid="site-7d">{numbers() ? formatNumber(numbers()!.visitors_7d) : loading}</td>
                    <td>
                      <Show when={numbers()}>
                        {(entry) => (
                          <Sparkline
                            values={entry().daily.map((day) => day.visitors)}
                            label={`Visitors per day: ${entry().daily.map((day) => day.visitors).join(", ")}`}
                          />
                        )}
                      </Show>
                    </td>
                    <td data-testid="site-change">
                      <Show when={change() !== null} fallback={numbers() ? "—" : loading}>
                        <span class="change" classList={{ good: isImprovement("visitors", change()!), bad: !isImprovement("visitors", change()!) && change() !== 0 }}>
                          {formatChange(change()!)}
                        </span>
                      </Show>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
    </PageFrame>
  );
}
