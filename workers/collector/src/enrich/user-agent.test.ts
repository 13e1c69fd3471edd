import { describe, expect, it } from "vitest";
import { clientHintsFrom, softwareFrom } from "./user-agent";

// What Chrome sends today: a reduced user agent that freezes the OS version.
const REDUCED_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const REDUCED_ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const hints = (values: Record<string, string>) => clientHintsFrom(new Headers(values));

describe("client hints refine the reduced user agent", () => {
  it("tell Windows 11 from Windows 10", () => {
    expect(softwareFrom(REDUCED_WINDOWS).os_version).toBe("10");
    const eleven = softwareFrom(REDUCED_WINDOWS, hints({ "sec-ch-ua-platform": '"Windows"', "sec-ch-ua-platform-version": '"15.0.0"' }));
    expect(eleven).toMatchObject({ os: "Windows", os_version: "11", browser: "Chrome", device_type: "desktop" });
    const ten = softwareFrom(REDUCED_WINDOWS, hints({ "sec-ch-ua-platform": '"Windows"', "sec-ch-ua-platform-version": '"10.0.0"' }));
    expect(ten.os_version).toBe("10");
  });

  it("give the real Android version and the device model when the site asked for them", () => {
    const phone = softwareFrom(
      REDUCED_ANDROID,
      hints({ "sec-ch-ua-platform": '"Android"', "sec-ch-ua-platform-version": '"14.0.0"', "sec-ch-ua-mobile": "?1", "sec-ch-ua-model": '"Pixel 8"' }),
    );
    expect(phone).toMatchObject({ os: "Android", os_version: "14", device_type: "mobile", device_model: "Pixel 8" });
  });

  it("name macOS as the user agent parser does, and keep the parse when no hints came", () => {
    const mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(softwareFrom(mac, hints({ "sec-ch-ua-platform": '"macOS"', "sec-ch-ua-platform-version": '"14.5.0"' }))).toMatchObject({ os: "Mac OS", os_version: "14.5" });
    expect(softwareFrom(mac)).toMatchObject({ os: "Mac OS", os_version: "10.15.7" });
  });
});
