import * as v from "valibot";

/** Loose on purpose: admin@localhost is a valid local account. */
export const Email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.regex(/^[^\s@]+@[^\s@]+$/, "not an e-mail address"));
export const NewPassword = v.pipe(
  v.string(),
  v.minLength(10, "passwords need at least 10 characters"),
  v.maxLength(1024, "passwords have at most 1024 characters"),
);
/** A password as typed at sign-in or to confirm a change: checked against the hash, so only bounded. */
export const CurrentPassword = v.pipe(v.string(), v.minLength(1, "enter your password"), v.maxLength(1024));
export const UserRole = v.picklist(["admin", "user"], "role is admin or user");
export const UserName = v.pipe(v.string(), v.trim(), v.maxLength(200));
