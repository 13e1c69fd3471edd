import {
  batch,
  createEffect,
  createMemo,
  createResource,
  createSignal,
  lazy,
  Match,
  onCleanup,
  Show,
  Switch,
} from "solid-js";
import { api, ApiError, setUnauthorizedHandler } from "./api/client";
import type { Site, User } from "./api/types";
import { Link } from "./components/link";
import { ErrorText, Message } from "./components/message";
import { Dynamic } from "solid-js/web";
import { LoginPage } from "./pages/login";
import { SitePage } from "./pages/site";
import { currentLocation, navigate } from "./router";
import { loginUrl, parseRoute, type Route, siteUrl } from "./routes";

// Everything but sign-in and the overview loads on demand, so the first paint ships only what it shows.
const ReportsPage = lazy(() => import("./pages/reports").then((m) => ({ default: m.ReportsPage })));
const FunnelsPage = lazy(() => import("./pages/funnels").then((m) => ({ default: m.FunnelsPage })));
const RetentionPage = lazy(() => import("./pages/retention").then((m) => ({ default: m.RetentionPage })));
const DropsPage = lazy(() => import("./pages/drops").then((m) => ({ default: m.DropsPage })));
const SettingsPage = lazy(() => import("./pages/settings").then((m) => ({ default: m.SettingsPage })));
const UsersPage = lazy(() => import("./pages/users").then((m) => ({ default: m.UsersPage })));
const KeysPage = lazy(() => import("./pages/keys").then((m) => ({ default: m.KeysPage })));
const AccountPage = lazy(() => import("./pages/account").then((m) => ({ default: m.AccountPage })));
const NewSitePage = lazy(() => import("./pages/new-site").then((m) => ({ default: m.NewSitePage })));
const HomePage = lazy(() => import("./pages/home").then((m) => ({ default: m.HomePage })));
const SharePage = lazy(() => import("./pages/share").then((m) => ({ default: m.SharePage })));
const ForgotPasswordPage = lazy(() => import("./pages/password-reset").then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import("./pages/password-reset").then((m) => ({ default: m.ResetPasswordPage })));
const InvitationPage = lazy(() => import("./pages/invitation").then((m) => ({ default: m.InvitationPage })));
const PUBLIC_PAGE_COMPONENTS = { "forgot-password": ForgotPasswordPage, "reset-password": ResetPasswordPage, invitation: InvitationPage };

const SITE_SECTION_PAGES = { reports: ReportsPage, funnels: FunnelsPage, retention: RetentionPage, drops: DropsPage, settings: SettingsPage };
const ACCOUNT_PAGE_COMPONENTS = { users: UsersPage, keys: KeysPage, account: AccountPage };

export function App() {
  const route = createMemo(() => parseRoute(currentLocation()));
  return (
    <Switch fallback={<SignedInApp route={route()} />}>
      <Match when={shareRoute(route())}>{(share) => <SharePage token={share().token} view={share().view} />}</Match>
      <Match when={publicRoute(route())}>{(page) => <Dynamic component={PUBLIC_PAGE_COMPONENTS[page().page]} />}</Match>
    </Switch>
  );
}

const shareRoute = (route: Route) => (route.name === "share" ? route : undefined);
const publicRoute = (route: Route) => (route.name === "public" ? route : undefined);

function SignedInApp(props: { route: Route }) {
  const route = () => props.route;
  /** undefined: not known yet; null: signed out. */
  const [user, setUser] = createSignal<User | null>();
  const [authError, setAuthError] = createSignal<unknown>();

  // The sites are asked for beside the session, not after it: one round trip less before the overview.
  let earlySites: Promise<Site[]> | undefined;
  function checkSession() {
    setAuthError(undefined);
    if (route().name !== "login") {
      earlySites = api.sites();
      earlySites.catch(() => {});
    }
    api.me().then(
      (me) => setUser(me),
      (error: unknown) => (error instanceof ApiError && error.status === 401 ? setUser(null) : setAuthError(() => error)),
    );
  }
  checkSession();
  setUnauthorizedHandler(() => setUser(null));
  onCleanup(() => setUnauthorizedHandler(undefined));

  const [sites, { refetch: refetchSites }] = createResource(
    () => user()?.id,
    () => {
      const early = earlySites;
      earlySites = undefined;
      return early ? early.catch(() => api.sites()) : api.sites();
    },
  );
  // A refetch (after adding, renaming or deleting a site) keeps the list, so the page isn't torn down meanwhile.
  const readySites = (): Site[] | undefined =>
    sites.state === "ready" || sites.state === "refreshing" ? sites.latest : undefined;

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

  // Home lists the sites at a glance; with one site or none there is nothing to glance over.
  createEffect(() => {
    const list = readySites();
    if (route().name !== "home" || !list || list.length > 1) return;
    navigate(list[0] ? siteUrl(list[0].id) : "/sites/new", { replace: true });
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
            <Match when={route().name === "home" && list().length > 1}>
              <HomePage sites={list()} user={user()!} onLogout={logout} />
            </Match>
            <Match when={route().name === "new-site"}>
              <NewSitePage sites={list()} user={user()!} search="" onSitesChanged={refetchSites} onLogout={logout} />
            </Match>
            <Match when={accountRoute()}>
              {(page) => (
                <Dynamic
                  component={ACCOUNT_PAGE_COMPONENTS[page().page]}
                  sites={list()}
                  user={user()!}
                  search={page().search}
                  onSitesChanged={refetchSites}
                  onLogout={logout}
                />
              )}
            </Match>
            <Match when={route().name === "not-found"}>
              <NotFound title="Page not found" />
            </Match>
            <Match when={sectionRoute()}>
              {(section) => (
                <Show
                  when={list().find((entry) => entry.id === section().siteId)}
                  fallback={<NotFound title="Site not found" detail="It doesn't exist, or you don't have access to it." />}
                >
                  {(found) => (
                    <Dynamic
                      component={SITE_SECTION_PAGES[section().section]}
                      site={found()}
                      sites={list()}
                      user={user()!}
                      rest={section().rest}
                      search={section().search}
                      onSitesChanged={refetchSites}
                      onLogout={logout}
                    />
                  )}
                </Show>
              )}
            </Match>
            <Match when={siteRoute()}>
              {(site) => (
                <Show
                  when={list().find((entry) => entry.id === site().siteId)}
                  fallback={<NotFound title="Site not found" detail="It doesn't exist, or you don't have access to it." />}
                >
                  {(found) => (
                    <SitePage site={found()} view={site().view} access={{ kind: "user", sites: list(), user: user()!, onLogout: logout }} />
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
  function sectionRoute() {
    const current = route();
    return current.name === "site-section" ? current : undefined;
  }
  function accountRoute() {
    const current = route();
    return current.name === "account-page" ? current : undefined;
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
