import { request } from "../api/client";
import { PasswordField, PublicForm, tokenFromLink } from "../components/public-form";

export function ForgotPasswordPage() {
  async function submit(form: FormData) {
    const answer = await request<{ message: string }>("POST", "/api/auth/password-reset", { email: String(form.get("email") ?? "").trim() });
    return `${answer.message[0]!.toUpperCase()}${answer.message.slice(1)}. Check your inbox.`;
  }
  return (
    <PublicForm title="Forgot your password?" submitLabel="Send me a link" submit={submit} testId="forgot-form">
      <p class="muted">We'll e-mail you a link to choose a new password.</p>
      <div class="form-field">
        <label for="forgot-email">Email</label>
        <input id="forgot-email" name="email" type="email" autocomplete="username" required data-testid="forgot-email" />
      </div>
    </PublicForm>
  );
}

export function ResetPasswordPage() {
  async function submit(form: FormData) {
    await request("POST", "/api/auth/password-reset/confirm", { token: tokenFromLink(), password: String(form.get("password") ?? "") });
    return "Your password is changed, and every session you had has ended.";
  }
  return (
    <PublicForm title="Choose a new password" submitLabel="Set password" submit={submit} testId="reset-form">
      <PasswordField id="reset-password" label="New password (at least 10 characters)" autocomplete="new-password" />
    </PublicForm>
  );
}
