/**
 * In-app browsers, by the marker each app adds to its user agent, first match wins: the social apps before the
 * generic Android and iOS WebView signs, so Instagram on Android is "Instagram", not "Android WebView".
 */
const WEBVIEW_APPS: [app: string, marker: RegExp][] = [
  ["Instagram", /\bInstagram\b/],
  ["Facebook", /\bFB(?:AN|AV|IOS|_IAB)\//],
  ["TikTok", /musical_ly|BytedanceWebview|\bTikTok\b/],
  ["LinkedIn", /\bLinkedInApp\b/],
  ["X", /\bTwitter(?:Android\b| for )/],
  ["Gmail", /\bGmail\b/],
  ["Android WebView", /; wv\)/],
  // iOS apps' WKWebView leave out the "Safari/" token that Safari and the other iOS browsers send.
  ["iOS WebView", /^(?=.*\((?:iPhone|iPad|iPod)\b)(?!.*\bSafari\/).*AppleWebKit\//],
];

/** The app whose in-app WebView sent the hit, or "" for a browser. */
export function webviewFrom(userAgent: string): string {
  for (const [app, marker] of WEBVIEW_APPS) if (marker.test(userAgent)) return app;
  return "";
}
