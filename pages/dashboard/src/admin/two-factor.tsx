import { createResource, createSignal, Show } from "solid-js";
import { createAction } from "./action";
import { adminApi } from "./api";
import TwoFactorSetup, { RecoveryCodes } from "./two-factor-setup";
import { ActionError, Field, fieldAria, Loading } from "./ui";

/** The signed-in person's authenticator: turn it on (QR code, first code, recovery codes) or off (password and code). */
export function TwoFactor() {
  const [status, { refetch }] = createResource(adminApi.twoFactor);
  const [enrolling, setEnrolling] = createSignal(false);
  const [renewed, setRenewed] = createSignal<string[]>();
  const renew = createAction(async (code: string) => {
    setRenewed(await adminApi.renewRecoveryCodes(code));
    await refetch();
  });
  const turnOff = createAction(async (password: string, code: string) => {
    await adminApi.turnOffTwoFactor(password, code);
    await refetch();
  });

  return (
    <section class="card admin-form" aria-labelledby="two-factor-title" data-testid="two-factor">
      <h3 id="two-factor-title">Two-factor sign-in</h3>
      <Show when={status.latest} fallback={<Loading error={status.error} onRetry={refetch} />}>
        {(current) => (
          <Show
            when={current().enabled}
            fallback={
              <Show
                when={enrolling()}
                fallback={
                  <>
                    <p class="muted" data-testid="two-factor-state">
                      Off. {current().required ? "It is required for your account: you will set it up at your next sign-in, or now." : "Sign-ins ask only for your password."}
                    </p>
                    <div class="form-actions">
                      <button type="button" class="button primary" onClick={() => setEnrolling(true)} data-testid="two-factor-start">
                        Set up an authenticator app
                      </button>
                    </div>
                  </>
                }
              >
                <TwoFactorSetup
                  start={adminApi.startEnrolment}
                  confirm={adminApi.confirmEnrolment}
                  onDone={() => {
                    setEnrolling(false);
                    void refetch();
                  }}
                />
              </Show>
            }
          >
            <p data-testid="two-factor-state">
              On: sign-ins ask for a code from your authenticator app. {current().recoveryCodesLeft} recovery codes left.
            </p>
            <Show
              when={renewed()}
              fallback={
                <form
                  class="inline-form"
                  aria-busy={renew.pending()}
                  data-testid="recovery-codes-renew"
                  onSubmit={(event) => {
                    event.preventDefault();
                    void renew.run(String(new FormData(event.currentTarget).get("code") ?? "").trim());
                  }}
                >
                  <Field id="recovery-codes-code" label="Code from your app, for 10 new recovery codes (the old ones stop working)">
                    <input id="recovery-codes-code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required autocomplete="one-time-code" data-testid="recovery-codes-code" {...fieldAria("recovery-codes-code", undefined, false)} />
                  </Field>
                  <button type="submit" class="button" disabled={renew.pending()} data-testid="recovery-codes-renew-submit">
                    New recovery codes
                  </button>
                </form>
              }
            >
              {(codes) => <RecoveryCodes codes={codes()} />}
            </Show>
            <ActionError error={renew.error()} testId="recovery-codes-renew-error" />
            <Show when={!current().required} fallback={<p class="muted">Required for your account, so it can't be turned off here; an admin can reset it.</p>}>
              <form
                class="inline-form"
                aria-busy={turnOff.pending()}
                data-testid="two-factor-off"
                onSubmit={(event) => {
                  event.preventDefault();
                  const data = new FormData(event.currentTarget);
                  void turnOff.run(String(data.get("password") ?? ""), String(data.get("code") ?? "").trim());
                }}
              >
                <Field id="two-factor-off-password" label="Password">
                  <input id="two-factor-off-password" name="password" type="password" required autocomplete="current-password" data-testid="two-factor-off-password" {...fieldAria("two-factor-off-password", undefined, false)} />
                </Field>
                <Field id="two-factor-off-code" label="Code or recovery code">
                  <input id="two-factor-off-code" name="code" required autocomplete="one-time-code" data-testid="two-factor-off-code" {...fieldAria("two-factor-off-code", undefined, false)} />
                </Field>
                <button type="submit" class="button" disabled={turnOff.pending()} data-testid="two-factor-off-submit">
                  Turn off
                </button>
              </form>
              <ActionError error={turnOff.error()} testId="two-factor-off-error" />
            </Show>
          </Show>
        )}
      </Show>
    </section>
  );
}
