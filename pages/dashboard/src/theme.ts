import { createSignal } from "solid-js";

export type Theme = "light" | "dark";

const KEY = "pixel-theme";

function stored(): Theme | null {
  try {
    const value = localStorage.getItem(KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

const system = window.matchMedia("(prefers-color-scheme: dark)");
const [theme, setThemeSignal] = createSignal<Theme>(stored() ?? (system.matches ? "dark" : "light"));

function apply(value: Theme) {
  document.documentElement.dataset.theme = value;
}

apply(theme());
system.addEventListener("change", (event) => {
  if (stored()) return;
  setThemeSignal(event.matches ? "dark" : "light");
  apply(theme());
});

export { theme };

/** Switches theme and remembers the choice on this device. */
export function toggleTheme(): void {
  const next: Theme = theme() === "dark" ? "light" : "dark";
  setThemeSignal(next);
  apply(next);
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
