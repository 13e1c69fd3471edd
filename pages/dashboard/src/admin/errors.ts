import { ApiError, messageOf, NETWORK_ERROR } from "../api/client";

/** What went wrong and what to do about it, for a failed change on an admin page. */
export function actionError(error: unknown): string {
  const message = sentence(messageOf(error).replace(/^[\w.]+: /, ""));
  return `${message} ${actionHint(error)}`.trim();
}

export function actionHint(error: unknown): string {
  const status = error instanceof ApiError ? error.status : NETWORK_ERROR;
  if (status === NETWORK_ERROR) return "Check your connection and that the Pixel API is running, then try again.";
  if (status === 400) return "Correct it and try again.";
  if (status === 401) return "Your session has ended: sign in again.";
  if (status === 403) return "Ask the site's owner or a global admin for a higher role.";
  if (status === 404) return "It may have been removed meanwhile: reload the page.";
  if (status === 409) return "";
  if (status === 429) return "Wait a few minutes and try again.";
  return "The API had a problem: try again in a moment, and check the API logs if it persists.";
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "Something went wrong.";
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}
