import { createSignal, lazy, Match, onMount, Show, Switch } from "solid-js";
import { api, messageOf, type SecondFactor } from "../api/client";
import type { User } from "../api/types";
import { Link } from "../components/link";
import { Logo } from "../components/logo";

// Only accounts that must set up an authenticator at sign-in need the QR encoder: it stays out of the first paint.
const TwoFactorSetup = lazy(() => import("../admin/two-factor-setup"));

export function LoginPage(props: { onLogin: (user: User) => void }) {
  const [error, setError] = createSignal<string>();
  const [pending, setPending] = createSignal(false);
  const [secondFactor, setSecondFactor] = createSignal<SecondFactor>();
  let emailInput: HTMLInputElement | undefined;
  let passwordInput: HTMLInputElement | undefined;
  let codeInput: HTMLInputElement | undefined;

  onMount(() => {
    document.title = "Sign in · Pixel";
    emailInput?.focus();
  });

  /** Runs one step of the sign-in; a failed step shows the API's message and selects `retry` for another go. */
  async function step(run: () => Promise<void>, retry: () => HTMLInputElement | undefined) {
    if (pending()) return;
    setPending(true);
    setError(undefined);
    try {
      await run();
    } catch (reason) {
      setError(messageOf(reason));
      retry()?.select();
    } finally {
      setPending(false);
    }
  }

  function submitPassword(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void step(async () => {
      const answer = await api.login(String(form.get("email") ?? "").trim(), String(form.get("password") ?? ""));
      if ("user" in answer) props.onLogin(answer.user);
      else {
        setSecondFactor(answer.secondFactor);
        codeInput?.focus();
      }
    }, () => passwordInput);
  }

  function submitCode(token: string, event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    void step(async () => props.onLogin(await api.verifySecondFactor(token, code)), () => codeInput);
  }

  let enrolled: User | undefined;
  async function confirmEnrolment(token: string, code: string) {
    const answer = await api.confirmSignInEnrolment(token, code);
    enrolled = answer.user;
    return answer.recoveryCodes;
  }

  const alert = () => (
    <Show when={error()}>
      {(message) => (
        <p class="alert" role="alert" data-testid="login-error">
          {message()}
        </p>
      )}
    </Show>
  );

  return (
    <main class="login">
      <Switch>
        <Match when={secondFactor()?.kind === "code" && secondFactor()}>
          {(challenge) => (
            <form class="card login-card" onSubmit={(event) => submitCode(challenge().token, event)} aria-labelledby="login-title" aria-busy={pending()}>
              <Logo />
              <h1 id="login-title">Enter your code</h1>
              {alert()}
              <div class="form-field">
                <label for="login-code">The 6-digit code from your authenticator app, or a recovery code</label>
                <input ref={codeInput} id="login-code" name="code" autocomplete="one-time-code" required autofocus data-testid="login-code" />
              </div>
              <button type="submit" class="button primary" disabled={pending()} data-testid="login-code-submit">
                {pending() ? "Checking…" : "Sign in"}
              </button>
              <button type="button" class="link-button" onClick={() => setSecondFactor(undefined)}>
                Start over with your password
              </button>
            </form>
          )}
        </Match>
        <Match when={secondFactor()?.kind === "enrol" && secondFactor()}>
          {(challenge) => (
            <section class="card login-card" aria-labelledby="login-title">
              <Logo />
              <h1 id="login-title">Set up two-factor sign-in</h1>
              <p>Your account requires a code from an authenticator app at every sign-in.</p>
              <TwoFactorSetup
                start={() => api.startSignInEnrolment(challenge().token)}
                confirm={(code) => confirmEnrolment(challenge().token, code)}
                onDone={() => enrolled && props.onLogin(enrolled)}
              />
            </section>
          )}
        </Match>
        <Match when={!secondFactor()}>
          <form class="card login-card" onSubmit={submitPassword} aria-labelledby="login-title" aria-busy={pending()}>
            <Logo />
            <h1 id="login-title">Sign in to your dashboard</h1>
            {alert()}
            <div class="form-field">
              <label for="login-email">Email</label>
              <input
                ref={emailInput}
                id="login-email"
                name="email"
                type="email"
                autocomplete="username"
                required
                data-testid="login-email"
              />
            </div>
            <div class="form-field">
              <label for="login-password">Password</label>
              <input
                ref={passwordInput}
                id="login-password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                data-testid="login-password"
              />
            </div>
            <button type="submit" class="button primary" disabled={pending()} data-testid="login-submit">
              {pending() ? "Signing in…" : "Sign in"}
            </button>
            <p class="login-aside">
              <Link href="/forgot-password" data-testid="forgot-password">
                Forgot password?
              </Link>
            </p>
          </form>
        </Match>
      </Switch>
    </main>
  );
}
