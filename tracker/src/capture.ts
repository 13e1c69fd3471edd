/**
 * pixel-capture.js: loaded by every pixel.js; each of `clickTracking`, `downloadTracking` and `formTracking` is on
 * unless configured `false`.
 * Reads the settings at each event, so turning one off later takes effect. Never records form values.
 */
export {};

const DEFAULT_DOWNLOADS = "pdf,zip,gz,tgz,rar,7z,dmg,exe,msi,pkg,deb,rpm,apk,iso,csv,xls,xlsx,doc,docx,ppt,pptx,odt,ods,odp,txt,rtf,epub,mp3,mp4,mov,avi,wav,webm";

const pixel = window._pixel as { push(command: unknown[]): void; config: Record<string, unknown> };
const track = (name: string, props: Record<string, string>): void => pixel.push(["track", name, props]);

/** Nothing here may throw into the page. */
const listen = <E extends Event>(type: string, listener: (event: E) => void): void =>
  addEventListener(type, (event) => {
    try {
      listener(event as E);
    } catch {}
  }, true);

function downloadExtensions(): string[] {
  const setting = pixel.config.downloadTracking;
  if (setting === false) return [];
  return String(setting === true || setting === undefined ? DEFAULT_DOWNLOADS : setting).toLowerCase().split(/\s*,\s*/);
}

/** Left and middle clicks (a middle click opens a new tab); not the right button, which only opens a menu. */
function onLinkClick(event: MouseEvent): void {
  const link = event.button < 2 && (event.target as Element).closest("a[href]");
  if (!(link instanceof HTMLAnchorElement)) return;
  const filename = decodeURIComponent(link.pathname.split("/").pop()!);
  const extension = /\.(\w+)$/.exec(filename)?.[1]?.toLowerCase();
  if (extension && downloadExtensions().includes(extension)) {
    track("download", { url: link.href, extension, filename });
  } else if (pixel.config.clickTracking !== false && /^https?:$/.test(link.protocol) && link.host != location.host) {
    track("outbound", { url: link.href, text: (link.innerText || link.textContent || "").replace(/\s+/g, " ").trim(), domain: link.hostname });
  }
}

/** The form's id or name, where it goes (without query), and its field names: never values, never password fields. */
function onSubmit({ target: form }: SubmitEvent): void {
  if (pixel.config.formTracking === false || !(form instanceof HTMLFormElement)) return;
  // getAttribute: form.id, form.name and form.action are shadowed by fields with those names.
  const action = new URL(form.getAttribute("action") || "", location.href);
  const names = Array.from(form.elements as unknown as HTMLInputElement[])
    .filter((field) => field.name && field.type != "password")
    .map((field) => field.name);
  track("form_submit", {
    form: form.getAttribute("id") || form.getAttribute("name") || "",
    action: action.origin + action.pathname,
    fields: [...new Set(names)].join(","),
  });
}

listen("click", onLinkClick);
listen("auxclick", onLinkClick);
listen("submit", onSubmit);
