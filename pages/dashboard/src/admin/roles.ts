import type { SiteRole } from "../api/types";

export const SITE_ROLES: { role: SiteRole; label: string }[] = [
  { role: "viewer", label: "Viewer: reads stats and reports" },
  { role: "admin", label: "Admin: also edits settings, goals, reports" },
  { role: "owner", label: "Owner: also manages members, deletes the site" },
];
