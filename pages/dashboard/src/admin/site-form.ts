import type { Shields, SiteChange, SiteDetails } from "./api";
import { formatLines, parseLines } from "./lines";

/** The general settings as the form holds them: text, one hostname a line. */
export interface GeneralForm {
  name: string;
  timezone: string;
  hostnames: string;
  scriptName: string;
  endpointName: string;
}

export const SHIELD_FIELDS = ["ipRanges", "countries", "paths", "hostnames"] as const;
export type ShieldField = (typeof SHIELD_FIELDS)[number];
export type ShieldsForm = Record<ShieldField, string>;

export function generalForm(site: SiteDetails): GeneralForm {
  return {
    name: site.name,
    timezone: site.timezone,
    hostnames: formatLines(site.hostnames),
    scriptName: site.scriptName,
    endpointName: site.endpointName,
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** The settings that differ from the site's, or the first field the API would refuse for a reason we can tell here. */
export function generalChange(site: SiteDetails, form: GeneralForm): Checked<SiteChange> {
  const name = form.name.trim();
  if (!name) return { ok: false, field: "name", message: "Give the site a name; it is shown in the header and site list." };
  const change: SiteChange = {};
  if (name !== site.name) change.name = name;
  if (form.timezone !== site.timezone) change.timezone = form.timezone;
  const hostnames = parseLines(form.hostnames.toLowerCase());
  if (!sameList(hostnames, site.hostnames)) change.hostnames = hostnames;
  if (form.scriptName.trim() !== site.scriptName) change.scriptName = form.scriptName.trim();
  if (form.endpointName.trim() !== site.endpointName) change.endpointName = form.endpointName.trim();
  return { ok: true, value: change };
}

export function shieldsForm(shields: Shields): ShieldsForm {
  return {
    ipRanges: formatLines(shields.ipRanges),
    countries: formatLines(shields.countries),
    paths: formatLines(shields.paths),
    hostnames: formatLines(shields.hostnames),
  };
}

/** Country codes are upper-cased and hostnames lower-cased as the API stores them; the rest as typed. */
export function shieldsFrom(form: ShieldsForm): Shields {
  return {
    ipRanges: parseLines(form.ipRanges),
    countries: parseLines(form.countries.toUpperCase()),
    paths: parseLines(form.paths),
    hostnames: parseLines(form.hostnames.toLowerCase()),
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((entry, i) => entry === b[i]);
