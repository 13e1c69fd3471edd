import { Message } from "../components/message";
import type { View } from "../view";

/** A public, read-only overview of one site, opened with a share link's token; no account needed. */
export function SharePage(_props: { token: string; view: View }) {
  return <Message title="Shared dashboard">Not built yet.</Message>;
}
