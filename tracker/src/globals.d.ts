interface Window {
  _pixel?: unknown;
  /** Set by our own end-to-end tests so headless browsers are tracked. */
  __pixel_test?: boolean;
}
