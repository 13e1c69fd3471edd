import { createSignal } from "solid-js";
import type { Location } from "./routes";

const read = (): Location => ({ pathname: location.pathname, search: location.search });

const [current, setCurrent] = createSignal(read(), {
  equals: (a, b) => a.pathname === b.pathname && a.search === b.search,
});

window.addEventListener("popstate", () => setCurrent(read()));

/** The current location, as a signal. */
export const currentLocation = current;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const target = new URL(to, location.href);
  if (target.origin !== location.origin) {
    location.assign(target);
    return;
  }
  const path = target.pathname + target.search + target.hash;
  if (options.replace) history.replaceState(null, "", path);
  else if (path !== location.pathname + location.search + location.hash) history.pushState(null, "", path);
  setCurrent(read());
}

/** Handles a click on an in-app link, unless the browser should (new tab, modifier keys…). */
export function onLinkClick(event: MouseEvent & { currentTarget: HTMLAnchorElement }): void {
  const link = event.currentTarget;
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.target && link.target !== "_self") return;
  if (link.origin !== location.origin) return;
  event.preventDefault();
  navigate(link.pathname + link.search + link.hash);
}
