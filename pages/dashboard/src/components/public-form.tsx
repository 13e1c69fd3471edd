import { createSignal, type JSX, onMount, Show } from "solid-js";
import { messageOf } from "../api/client";
import { Logo } from "./logo";

/**
 * The card of the signed-out pages (forgot password, reset, accept invitation): a form that submits once at a time and
 * shows the api's message when it fails. `submit` gets the form's fields and returns what to say when done.
 */
export function PublicForm(props: {
  title: string;
  intro?: JSX.Element;
  submitLabel: string;
  submit: (form: FormData) => Promise<string | void>;
  children: JSX.Element;
  testId: string;
}) {
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const [pending, setPending] = createSignal(false);
  onMount(() => (document.title = `${props.title} · Pixel`));

  async function onSubmit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
    event.preventDefault();
    if (pending()) return;
    setPending(true);
    setError(undefined);
    try {
      const notice = await props.submit(new FormData(event.currentTarget));
      if (notice) setDone(notice);
    } catch (reason) {
      setError(messageOf(reason));
    } finally {
      setPending(false);
    }
  }

  return (
    <main class="login">
      <form class="card login-card" onSubmit={onSubmit} aria-labelledby="public-title" aria-busy={pending()} data-testid={props.testId}>
        <Logo />
        <h1 id="public-title">{props.title}</h1>
        <Show when={error()}>
          {(message) => (
            <p class="alert" role="alert" data-testid="public-error">
              {message()}
            </p>
          )}
        </Show>
        <Show
          when={done()}
          fallback={
            <>
              {props.intro}
              {props.children}
              <button type="submit" class="button primary" disabled={pending()} data-testid="public-submit">
                {props.submitLabel}
              </button>
            </>
          }
        >
          {(notice) => (
            <p role="status" data-testid="public-done">
              {notice()} <a href="/login">Sign in</a>
            </p>
          )}
        </Show>
      </form>
    </main>
  );
}

/** The token a link from an e-mail carries after `#`: never sent to a server with the page request, nor in Referer. */
export const tokenFromLink = () => decodeURIComponent(location.hash.slice(1));

export function PasswordField(props: { id: string; label: string; autocomplete: "new-password" | "current-password" }) {
  return (
    <div class="form-field">
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name="password" type="password" minLength={10} autocomplete={props.autocomplete} required data-testid={props.id} />
    </div>
  );
}
