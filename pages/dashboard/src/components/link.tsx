import type { JSX } from "solid-js";
import { onLinkClick } from "../router";

export function Link(props: JSX.AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={onLinkClick} />;
}
