import type { Hit, HitProps } from "../../../lib/events/hit";
import type { DropReason } from "../../../lib/events/message";
import { personalDataIn, redactEmails } from "../../../lib/events/pii";

type CountPart = (reason: Extract<DropReason, "pii_user_id" | "pii_prop">, detail: string) => void;

/**
 * The hit as it may be stored: a user id that is an e-mail address or a phone number is left out (the hit itself is
 * kept), and e-mail addresses in prop values are redacted. Each is counted, the props under their (redacted) key.
 */
export function withoutPersonalData(hit: Hit, count: CountPart): Hit {
  const personal = hit.user_id ? personalDataIn(hit.user_id) : null;
  if (personal) count("pii_user_id", personal);
  const props = hit.props && redactedProps(hit.props, count);
  if (!personal && props === hit.props) return hit;
  return { ...hit, user_id: personal ? undefined : hit.user_id, props };
}

/** The same object when nothing needed redacting, which is nearly always. */
function redactedProps(props: HitProps, count: CountPart): HitProps {
  let redacted: HitProps | undefined;
  for (const [key, value] of Object.entries(props)) {
    if (typeof value !== "string") continue;
    const stored = redactEmails(value);
    if (stored === value) continue;
    (redacted ??= { ...props })[key] = stored;
    count("pii_prop", redactEmails(key).slice(0, 32));
  }
  return redacted ?? props;
}
