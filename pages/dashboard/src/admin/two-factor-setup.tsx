import { createResource, createSignal, For, Show } from "solid-js";
import { encode } from "uqr";
import type { Enrolment } from "../api/client";
import { createAction } from "./action";
import { ActionError, CopyButton, Loading } from "./ui";

/** The QR code drawn here from the otpauth URI: the secret never leaves the page for a QR service. */
export function QrCode(props: { text: string; label: string }) {
  const matrix = () => encode(props.text, { ecc: "M", border: 2 }).data;
  const path = () =>
    matrix()
      .flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : "")))
      .join("");
  return (
    <svg class="qr" viewBox={`0 0 ${matrix().length} ${matrix().length}`} role="img" aria-label={props.label} shape-rendering="crispEdges" data-testid="two-factor-qr">
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path()} fill="#000" />
    </svg>
  );
}

/** Single-use codes for a lost phone, shown once, right after they are made. */
export function RecoveryCodes(props: { codes: string[] }) {
  let list: HTMLOListElement | undefined;
  return (
    <div class="recovery-codes">
      <p>
        Keep these <strong>recovery codes</strong> somewhere safe: each signs you in once without your authenticator. They are shown only now.
      </p>
      <ol ref={list} data-testid="recovery-codes">
        <For each={props.codes}>{(code) => <li><code>{code}</code></li>}</For>
      </ol>
      <CopyButton text={props.codes.join("\n")} target={() => list} label="Copy the codes" testId="copy-recovery-codes" />
    </div>
  );
}

/**
 * Adds an authenticator: the QR code and secret to scan or type, then a first code, then the recovery codes. `confirm`
 * answers the recovery codes; `onDone` runs once the person says they kept them.
 */
export default function TwoFactorSetup(props: { start: () => Promise<Enrolment>; confirm: (code: string) => Promise<string[]>; onDone: () => void }) {
  const [enrolment, { refetch }] = createResource(props.start);
  const [codes, setCodes] = createSignal<string[]>();
  const confirm = createAction(async (code: string) => setCodes(await props.confirm(code)));
  let secretInput: HTMLInputElement | undefined;

  return (
    <Show
      when={codes()}
      fallback={
        <Show when={enrolment.latest} fallback={<Loading error={enrolment.error} onRetry={refetch} />}>
          {(started) => (
            <form
              class="two-factor-setup"
              aria-busy={confirm.pending()}
              data-testid="two-factor-setup"
              onSubmit={(event) => {
                event.preventDefault();
                void confirm.run(String(new FormData(event.currentTarget).get("code") ?? "").trim());
              }}
            >
              <p>Scan this with an authenticator app (1Password, Google Authenticator, Aegis, …), or type the key into it.</p>
              <QrCode text={started().uri} label="QR code for your authenticator app" />
              <div class="copy-row">
                <label for="two-factor-secret" class="sr-only">
                  The key to type into your authenticator app
                </label>
                <input ref={secretInput} id="two-factor-secret" readonly value={started().secret} data-testid="two-factor-secret" onFocus={(event) => event.currentTarget.select()} />
                <CopyButton text={started().secret} target={() => secretInput} testId="copy-two-factor-secret" />
              </div>
              <div class="form-field">
                <label for="two-factor-first-code">The 6-digit code the app shows</label>
                <input id="two-factor-first-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required data-testid="two-factor-first-code" />
              </div>
              <ActionError error={confirm.error()} testId="two-factor-setup-error" />
              <button type="submit" class="button primary" disabled={confirm.pending()} data-testid="two-factor-confirm">
                {confirm.pending() ? "Checking…" : "Turn on two-factor sign-in"}
              </button>
            </form>
          )}
        </Show>
      }
    >
      {(made) => (
        <div class="two-factor-setup">
          <RecoveryCodes codes={made()} />
          <button type="button" class="button primary" onClick={() => props.onDone()} data-testid="recovery-codes-saved">
            I saved my recovery codes
          </button>
        </div>
      )}
    </Show>
  );
}
