/** deploy/clickhouse/users.sql, read as text by Vite (`?raw`) in workerd tests. */
declare module "*.sql?raw" {
  const text: string;
  export default text;
}
