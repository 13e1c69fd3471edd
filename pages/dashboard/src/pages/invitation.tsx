import { createResource, Show } from "solid-js";
import { messageOf, request } from "../api/client";
import { PasswordField, PublicForm, tokenFromLink } from "../components/public-form";
import { siteUrl } from "../routes";

interface Invitation {
  email: string;
  role: string;
  site: { id: string; name: string };
}

/** Where an invitation link leads: the invitee picks a password, gets an account and lands on the site. */
export function InvitationPage() {
  const token = tokenFromLink();
  const [invitation] = createResource(() => request<Invitation>("POST", "/api/invitations/preview", { token }));
  async function submit(form: FormData) {
    const accepted = await request<{ siteId: string }>("POST", "/api/invitations/accept", {
      token,
      name: String(form.get("name") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    });
    // A full load, so the app starts signed in.
    location.assign(siteUrl(accepted.siteId));
  }
  return (
    <Show
      when={!invitation.error && invitation()}
      fallback={
        <main class="login">
          <p class="card login-card" role={invitation.error ? "alert" : "status"} data-testid="invitation-status">
            {invitation.error ? messageOf(invitation.error) : "Loading…"}
          </p>
        </main>
      }
    >
      {(found) => (
        <PublicForm
          title={`Join ${found().site.name}`}
          intro={<p data-testid="invitation-intro">You are invited as {found().role}. Your account will be {found().email}.</p>}
          submitLabel="Create my account"
          submit={submit}
          testId="invitation-form"
        >
          <div class="form-field">
            <label for="invitation-name">Your name (optional)</label>
            <input id="invitation-name" name="name" autocomplete="name" data-testid="invitation-name" />
          </div>
          <PasswordField id="invitation-password" label="Password (at least 10 characters)" autocomplete="new-password" />
        </PublicForm>
      )}
    </Show>
  );
}
