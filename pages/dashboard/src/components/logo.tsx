export function Logo() {
  return (
    <span class="logo">
      <svg viewBox="0 0 16 16" width="20" height="20" aria-hidden="true">
        <rect x="2" y="2" width="12" height="12" rx="3" fill="currentColor" />
        <rect x="6" y="6" width="4" height="4" rx="1" fill="var(--surface)" />
      </svg>
      Pixel
    </span>
  );
}
