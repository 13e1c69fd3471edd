export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 1024;
export const PASSWORD_RULE = `${MIN_PASSWORD} to ${MAX_PASSWORD} characters.`;

/** Why the API would refuse a new password, or null when it won't. */
export function passwordProblem(current: string, next: string, repeated: string): { field: "next" | "repeat"; message: string } | null {
  if (next.length < MIN_PASSWORD) return { field: "next", message: `Use at least ${MIN_PASSWORD} characters (this has ${next.length}).` };
  if (next.length > MAX_PASSWORD) return { field: "next", message: `Use at most ${MAX_PASSWORD} characters.` };
  if (next === current) return { field: "next", message: "Choose a password different from the current one." };
  if (next !== repeated) return { field: "repeat", message: "The two new passwords differ: type the same one twice." };
  return null;
}
