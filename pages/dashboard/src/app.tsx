import { batch, createEffect, createMemo, createResource, createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import { api, ApiError, setUnauthorizedHandler } from "./api/client";
import type { Site, User } from "./api/types";
import { Link } from "./components/link";
import { ErrorText, Message } from "./components/message";
import { LoginPage } from "./pages/login";
import { SitePage } from "./pages/site";
import { currentLocation, navigate } from "./router";
import { loginUrl, parseRoute, siteUrl } from "./routes";

export function App() {
  const route = createMemo(() => parseRoute(currentLocation()));
  /** undefined: not known yet; null: signed out. */
  const [user, setUser] = createSignal<User | null>();
  const [authError, setAuthError] = createSignal<unknown>();

  function checkSession() {
    setAuthError(undefined);
    api.me().then(
      (me) => setUser(me),
      (error: unknown) => (error instanceof ApiError && error.status === 401 ? setUser(null) : setAuthError(() => error)),
    );
  }
  checkSession();
  setUnauthorizedHandler(() => setUser(null));
  onCleanup(() => setUnauthorizedHandler(undefined));

  const [sites, { refetch: refetchSites }] = createResource(() => user()?.id, () => api.sites());
  const readySites = (): Site[] | undefined => (sites.state === "ready" ? sites() : undefined);

  createEffect(() => {
    const current = route();
    const me = user();
    if (me === null && current.name !== "login") {
      const { pathname, search } = currentLocation();
      navigate(loginUrl(pathname + search), { replace: true });
    } else if (me && current.name === "login") {
      navigate(current.next ?? "/", { replace: true });
    }
  });

  createEffect(() => {
    const first = readySites()?.[0];
    if (route().name === "home" && first) navigate(siteUrl(first.id), { replace: true });
  });

  async function logout() {
    try {
      await api.logout();
    } catch {
      // The session is dropped locally either way.
    }
    batch(() => {
      setUser(null);
      navigate("/login");
    });
  }

  return (
    <Switch fallback={<Message title="Loading…" busy />}>
      <Match when={authError()}>
        <Message title="Can't open the dashboard">
          <ErrorText error={authError()} onRetry={checkSession} />
        </Message>
      </Match>
      <Match when={user() === null && route().name === "login"}>
        <LoginPage onLogin={setUser} />
      </Match>
      <Match when={user() && sites.error}>
        <Message title="Can't load your sites">
          <ErrorText error={sites.error} onRetry={refetchSites} />
        </Message>
      </Match>
      <Match when={user() && readySites()}>
        {(list) => (
          <Switch fallback={<Message title="Loading…" busy />}>
            <Match when={list().length === 0 && route().name === "home"}>
              <Message title="No sites yet">
                <p>Ask an admin to add a site and give you access to it.</p>
                <button type="button" class="button" data-testid="logout" onClick={logout}>
                  Sign out
                </button>
              </Message>
            </Match>
            <Match when={route().name === "not-found"}>
              <NotFound title="Page not found" />
            </Match>
            <Match when={siteRoute()}>
              {(site) => (
                <Show
                  when={list().find((entry) => entry.id === site().siteId)}
                  fallback={<NotFound title="Site not found" detail="It doesn't exist, or you don't have access to it." />}
                >
                  {(found) => (
                    <SitePage site={found()} sites={list()} view={site().view} user={user()!} onLogout={logout} />
                  )}
                </Show>
              )}
            </Match>
          </Switch>
        )}
      </Match>
    </Switch>
  );

  function siteRoute() {
    const current = route();
    return current.name === "site" ? current : undefined;
  }
}

function NotFound(props: { title: string; detail?: string }) {
  return (
    <Message title={props.title}>
      <Show when={props.detail}>
        <p>{props.detail}</p>
      </Show>
      <p>
        <Link href="/">Go to your first site</Link>
      </p>
    </Message>
  );
}
