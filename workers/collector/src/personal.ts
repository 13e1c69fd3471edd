import type { Hit, HitProps } from "@pixel/lib/events/hit";
import type { DropReason } from "@pixel/lib/events/message";
import { personalDataIn, redactEmails } from "@pixel/lib/events/pii";

type CountPart = (reason: Extract<DropReason, "pii_user_id" | "pii_prop">, detail: string) => void;

/**
 * The hit as it may be stored: a user id that is an e-mail address or a phone number is left out (the hit itself is
 * kept), and e-mail addresses in props, values and keys, are redacted. Each is counted, a prop under its stored key.
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
  const entries = Object.entries(props);
  if (!entries.some(([key, value]) => key.includes("@") || (typeof value === "string" && value.includes("@")))) return props;
  const redacted: HitProps = {};
  for (const [key, value] of entries) {
    const storedKey = redactEmails(key);
    const storedValue = typeof value === "string" ? redactEmails(value) : value;
    if (storedKey !== key || storedValue !== value) count("pii_prop", storedKey.slice(0, 32));
    redacted[storedKey] = storedValue;
  }
  return redacted;
}
