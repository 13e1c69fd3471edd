import { createSignal, onCleanup } from "solid-js";

/** How near the viewport an element may be before it counts as seen: it loads while the person scrolls towards it. */
export const SEEN_AHEAD_PX = 300;

/**
 * Whether an element has come near the viewport yet; once true it stays true. A card below the fold waits for it,
 * so opening the overview of a big site does not spend queries on what nobody has looked at.
 */
export function createSeen(): { seen: () => boolean; ref: (element: Element) => void } {
  const [seen, setSeen] = createSignal(typeof IntersectionObserver === "undefined");
  let observer: IntersectionObserver | undefined;
  onCleanup(() => observer?.disconnect());
  const ref = (element: Element) => {
    if (seen()) return;
    observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        setSeen(true);
        observer?.disconnect();
      },
      { rootMargin: `${SEEN_AHEAD_PX}px` },
    );
    observer.observe(element);
  };
  return { seen, ref };
}
