export interface Config {
  /** Where the collector lives; defaults to the directory pixel.js was loaded from. */
  baseUrl?: string;
  endpoint: string;
  /** Minutes without events after which a new session starts. */
  sessionTimeout: number;
  /** `"device"` loads the device-signal chunk, which answers with `config device <hash>` ("" when it has none). */
  identity?: string;
  device?: string;
  [key: string]: unknown;
}

export const config: Config = {
  endpoint: "/e",
  sessionTimeout: 30,
};

/** Auto-capture switches are on unless configured `false`. */
export const enabled = (key: string): boolean => config[key] !== false;

export const log = (...args: unknown[]): unknown => config.debug && console.log("[pixel]", ...args);

/** Nothing the tracker does may throw into the page. */
export const guard =
  <A extends unknown[]>(action: (...args: A) => unknown) =>
  (...args: A): void => {
    try {
      action(...args);
    } catch (error) {
      log(error);
    }
  };

/** Capture phase on window: sees document events too, even when the page stops their propagation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const on = (type: string, listener: (event: any) => unknown): void => addEventListener(type, guard(listener), true);

export const collectorUrl = (path: string): string => config.baseUrl!.replace(/\/$/, "") + path;

export const trackingRefused = (browser = navigator as Navigator & { globalPrivacyControl?: boolean }): unknown =>
  (browser.webdriver && !window.__pixel_test) ||
  (config.respectDnt && (browser.globalPrivacyControl || browser.doNotTrack == (1 as never))) ||
  (config.excludeLocalhost && /^(localhost|127\.|\[::1)/.test(location.hostname));
