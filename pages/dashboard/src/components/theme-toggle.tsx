import { theme, toggleTheme } from "../theme";

export function ThemeToggle() {
  const label = () => (theme() === "dark" ? "Use the light theme" : "Use the dark theme");
  return (
    <button type="button" class="button icon" data-testid="theme-toggle" aria-label={label()} title={label()} onClick={toggleTheme}>
      <span aria-hidden="true">{theme() === "dark" ? "☀" : "☾"}</span>
    </button>
  );
}
