export interface Config {
  /** Where the collector lives; defaults to the directory pixel.js was loaded from. */
  baseUrl?: string;
  endpoint: string;
  /** Minutes without events after which a new session starts. */
  sessionTimeout: number;
  respectDnt?: boolean;
  excludeLocalhost?: boolean;
  allowAutomation?: boolean;
  debug?: boolean;
  /** Keys for later modules (scrollTracking, …) are accepted and kept. */
  [key: string]: unknown;
}

export const config: Config = { endpoint: "/e", sessionTimeout: 30 };

export const log = (...args: unknown[]): void => {
  if (config.debug) console.log("[pixel]", ...args);
};

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

export function trackingRefused(): boolean | undefined {
  const browser = navigator as Navigator & { globalPrivacyControl?: boolean };
  return (
    (browser.webdriver && window.__pixel_test !== true && !config.allowAutomation) ||
    (config.respectDnt && (browser.doNotTrack == "1" || browser.globalPrivacyControl)) ||
    (config.excludeLocalhost && /^(localhost|127(\.\d+){3}|\[::1\])$/.test(location.hostname))
  );
}
