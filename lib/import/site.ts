/** What an importer needs to know of the site it fills. */
export interface ImportSite {
  id: string;
  domain: string;
  hostnames: string[];
  timezone: string;
  retentionDays: number;
}

/** A source row that cannot be imported; the import skips it and reports why. */
export class LineError extends Error {}
