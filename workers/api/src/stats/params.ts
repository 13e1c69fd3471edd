/** Every value travels as a query parameter; every identifier in the SQL comes from the catalogs (catalog.ts). */
export class Params {
  readonly values: Record<string, unknown> = {};
  private count = 0;

  /** A parameter the catalog names itself (catalog.ts: REVENUE_CURRENCY_PARAM). */
  set(name: string, value: unknown): void {
    this.values[name] = value;
  }

  add(value: unknown, type: string): string {
    const name = `p${this.count++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}
