/** The longest range one request may ask for: dropped hits are kept 400 days. */
export const MAX_DAYS = 400;

const DAY = /^\d{4}-\d\d-\d\d$/;

function onCalendar(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** `from` and `to` as inclusive UTC days, or what is wrong with them. */
export function dropsRange(from: string | undefined, to: string | undefined): { from: string; to: string } | { error: string } {
  for (const [name, value] of [["from", from], ["to", to]] as const) {
    if (!value) return { error: `${name}: required, a day as YYYY-MM-DD` };
    if (!DAY.test(value) || !onCalendar(value)) return { error: `${name}: ${value} is not a day as YYYY-MM-DD` };
  }
  if (from! > to!) return { error: "from: must not be after to" };
  const days = (Date.parse(to!) - Date.parse(from!)) / 86_400_000 + 1;
  if (days > MAX_DAYS) return { error: `to: at most ${MAX_DAYS} days from from` };
  return { from: from!, to: to! };
}
