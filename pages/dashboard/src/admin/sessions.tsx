import { createResource, For, Show } from "solid-js";
import { createAction } from "./action";
import { adminApi, type Session } from "./api";
import { ActionError, ConfirmButton, Loading } from "./ui";

/** Where the signed-in person is signed in, to end a session they don't recognize, or all of them. */
export function Sessions(props: { onSignedOut: () => void }) {
  const [sessions, { refetch, mutate }] = createResource(adminApi.sessions);
  const end = createAction(async (session: Session) => {
    await adminApi.endSession(session.id);
    mutate((sessions.latest ?? []).filter((entry) => entry.id !== session.id));
  });
  const everywhere = createAction(async () => {
    await adminApi.signOutEverywhere();
    props.onSignedOut();
  });
  return (
    <section class="card admin-form" aria-labelledby="sessions-title" data-testid="sessions">
      <h3 id="sessions-title">Where you are signed in</h3>
      <Show when={sessions.latest} fallback={<Loading error={sessions.error} onRetry={refetch} />}>
        {(list) => (
          <ul class="admin-list">
            <For each={list()}>
              {(session) => (
                <li data-testid="session-row">
                  <span class="admin-list-main">
                    <strong>{session.device}</strong>
                    <span class="muted">
                      {session.current ? "this browser" : `last seen ${new Date(session.lastSeenAt).toLocaleString()}`} · signed in{" "}
                      {new Date(session.createdAt).toLocaleDateString()}
                    </span>
                  </span>
                  <Show when={!session.current}>
                    <ConfirmButton label="Sign out" confirmLabel={`Sign out ${session.device}`} disabled={end.pending()} onConfirm={() => void end.run(session)} testId="end-session" />
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
      <ActionError error={end.error() ?? everywhere.error()} />
      <div class="form-actions">
        <ConfirmButton label="Sign out everywhere" confirmLabel="Sign out everywhere, here too" disabled={everywhere.pending()} onConfirm={() => void everywhere.run()} testId="sign-out-everywhere" />
      </div>
    </section>
  );
}
