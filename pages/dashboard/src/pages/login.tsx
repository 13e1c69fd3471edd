import { createSignal, onMount, Show } from "solid-js";
import { api, messageOf } from "../api/client";
import type { User } from "../api/types";
import { Link } from "../components/link";
import { Logo } from "../components/logo";

export function LoginPage(props: { onLogin: (user: User) => void }) {
  const [error, setError] = createSignal<string>();
  const [pending, setPending] = createSignal(false);
  let emailInput: HTMLInputElement | undefined;
  let passwordInput: HTMLInputElement | undefined;

  onMount(() => {
    document.title = "Sign in · Pixel";
    emailInput?.focus();
  });

  async function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    if (pending()) return;
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const user = await api.login(String(form.get("email") ?? "").trim(), String(form.get("password") ?? ""));
      props.onLogin(user);
    } catch (reason) {
      setError(messageOf(reason));
      passwordInput?.select();
    } finally {
      setPending(false);
    }
  }

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title" aria-busy={pending()}>
        <Logo />
        <h1 id="login-title">Sign in to your dashboard</h1>
        <Show when={error()}>
          {(message) => (
            <p class="alert" role="alert" data-testid="login-error">
              {message()}
            </p>
          )}
        </Show>
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
    </main>
  );
}
