/** Every value travels as a query parameter; every identifier in the SQL comes from the catalogs (catalog.ts). */
export class Params {
  readonly values: Record<string, unknown> = {};
  private count = 0;

  add(value: unknown, type: string): string {
    const name = `p${this.count++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}
