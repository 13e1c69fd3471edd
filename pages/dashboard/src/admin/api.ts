import { api, CsvBody, type Enrolment, request } from "../api/client";
import type { Shields } from "@pixel/lib/d1/schema";
import type { ImportReport } from "@pixel/lib/import/split";
import type { Annotation } from "../annotations";
import type { Site, SiteRole, User } from "../api/types";

export type { Shields } from "@pixel/lib/d1/schema";

/** A site as GET /api/sites/:siteId answers it: the list's fields plus every setting. */
export interface SiteDetails extends Site {
  hostnames: string[];
  retentionDays: number;
  scriptName: string;
  endpointName: string;
  shields: Shields;
  publicShare: boolean;
  /** The site's own https pages may embed the share page in a frame. */
  shareEmbed: boolean;
  createdAt: string;
}

export type SiteChange = Partial<
  Pick<SiteDetails, "domain" | "name" | "timezone" | "hostnames" | "retentionDays" | "scriptName" | "endpointName" | "shields">
>;

/** A site's latest retention change being applied to its stored rows, as GET /api/sites/:siteId/retention answers it. */
export interface RetentionJob {
  retentionDays: number;
  requestedAt: string;
  steps: number;
  stepsDone: number;
  done: boolean;
  error: string | null;
}

/** A signed-in browser of the current user, as GET /api/auth/sessions lists it. */
export interface Session {
  id: string;
  device: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export type { Goal } from "../api/types";
import type { Goal } from "../api/types";

export type NewGoal =
  | { kind: "event"; eventName: string; displayName?: string; currency?: string }
  | { kind: "page"; pagePath: string; displayName?: string };

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: SiteRole;
}

export interface Invitation {
  id: string;
  email: string;
  role: SiteRole;
  createdAt: string;
  expiresAt: string;
}

export type ReportFrequency = "weekly" | "monthly";

export interface AlertSettings {
  spikeVisitors: number | null;
  dropPercent: number | null;
  cooldownMinutes: number;
  webhookUrl: string | null;
}

export interface EmailSettings {
  reports: { frequencies: ReportFrequency[] };
  alerts: AlertSettings | null;
}

export interface Account extends User {
  disabled: boolean;
  twoFactorRequired: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface NewAccount {
  email: string;
  name: string;
  password: string;
  role: User["role"];
}

export type AccountChange = Partial<{ name: string; role: User["role"]; disabled: boolean; password: string; twoFactorRequired: boolean }>;

/** The signed-in person's two-factor sign-in, as GET /api/auth/two-factor answers it. */
export interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export interface Settings {
  requireTwoFactor: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  siteIds: string[];
  createdAt: string;
}

const site = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}`;

export const adminApi = {
  createSite: (body: SiteChange & { domain: string }) =>
    request<{ site: SiteDetails }>("POST", "/api/sites", body).then((answer) => answer.site),
  site: (siteId: string) => request<{ site: SiteDetails }>("GET", site(siteId)).then((answer) => answer.site),
  updateSite: (siteId: string, change: SiteChange) =>
    request<{ site: SiteDetails }>("PATCH", site(siteId), change).then((answer) => answer.site),
  deleteSite: (siteId: string) => request<void>("DELETE", site(siteId)),
  deleteData: (siteId: string) => request<void>("DELETE", `${site(siteId)}/data`),
  importPart: (siteId: string, csv: string) => request<ImportReport>("POST", `${site(siteId)}/imports`, new CsvBody(csv)),
  retention: (siteId: string) => request<{ job: RetentionJob | null }>("GET", `${site(siteId)}/retention`).then((answer) => answer.job),

  goals: api.goals,
  createGoal: (siteId: string, goal: NewGoal) =>
    request<{ goal: Goal }>("POST", `${site(siteId)}/goals`, goal).then((answer) => answer.goal),
  deleteGoal: (siteId: string, goalId: string) =>
    request<void>("DELETE", `${site(siteId)}/goals/${encodeURIComponent(goalId)}`),

  createAnnotation: (siteId: string, note: { date: string; text: string }) =>
    request<{ annotation: Annotation }>("POST", `${site(siteId)}/annotations`, note).then((answer) => answer.annotation),
  deleteAnnotation: (siteId: string, annotationId: string) =>
    request<void>("DELETE", `${site(siteId)}/annotations/${encodeURIComponent(annotationId)}`),

  members: (siteId: string) =>
    request<{ members: Member[] }>("GET", `${site(siteId)}/members`).then((answer) => answer.members),
  grant: (siteId: string, email: string, role: SiteRole) =>
    request<{ member: Member }>("PUT", `${site(siteId)}/members`, { email, role }).then((answer) => answer.member),
  removeMember: (siteId: string, userId: string) =>
    request<void>("DELETE", `${site(siteId)}/members/${encodeURIComponent(userId)}`),

  invitations: (siteId: string) =>
    request<{ invitations: Invitation[] }>("GET", `${site(siteId)}/invitations`).then((answer) => answer.invitations),
  invite: (siteId: string, email: string, role: SiteRole) =>
    request<{ invitation: Invitation }>("POST", `${site(siteId)}/invitations`, { email, role }).then((answer) => answer.invitation),
  revokeInvitation: (siteId: string, invitationId: string) =>
    request<void>("DELETE", `${site(siteId)}/invitations/${encodeURIComponent(invitationId)}`),

  emailSettings: (siteId: string) => request<EmailSettings>("GET", `${site(siteId)}/email`),
  setReports: (siteId: string, frequencies: ReportFrequency[]) =>
    request<Pick<EmailSettings, "reports">>("PUT", `${site(siteId)}/email/reports`, { frequencies }).then((answer) => answer.reports),
  setAlerts: (siteId: string, alerts: Partial<AlertSettings>) =>
    request<Pick<EmailSettings, "alerts">>("PUT", `${site(siteId)}/email/alerts`, alerts).then((answer) => answer.alerts),
  deleteAlerts: (siteId: string) => request<void>("DELETE", `${site(siteId)}/email/alerts`),

  share: (siteId: string) => request<{ token: string }>("POST", `${site(siteId)}/share`).then((answer) => answer.token),
  unshare: (siteId: string) => request<void>("DELETE", `${site(siteId)}/share`),
  embedShare: (siteId: string, embed: boolean) => request<{ embed: boolean }>("PATCH", `${site(siteId)}/share`, { embed }),

  accounts: () => request<{ users: Account[] }>("GET", "/api/users").then((answer) => answer.users),
  createAccount: (account: NewAccount) =>
    request<{ user: Account }>("POST", "/api/users", account).then((answer) => answer.user),
  updateAccount: (userId: string, change: AccountChange) =>
    request<{ user: Account }>("PATCH", `/api/users/${encodeURIComponent(userId)}`, change).then((answer) => answer.user),
  deleteAccount: (userId: string) => request<void>("DELETE", `/api/users/${encodeURIComponent(userId)}`),

  keys: () => request<{ keys: ApiKey[] }>("GET", "/api/keys").then((answer) => answer.keys),
  createKey: (name: string, siteIds: string[]) =>
    request<{ key: ApiKey; token: string }>("POST", "/api/keys", { name, siteIds }),
  deleteKey: (keyId: string) => request<void>("DELETE", `/api/keys/${encodeURIComponent(keyId)}`),

  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>("POST", "/api/auth/password", { currentPassword, newPassword }),
  sessions: () => request<{ sessions: Session[] }>("GET", "/api/auth/sessions").then((answer) => answer.sessions),
  endSession: (sessionId: string) => request<void>("DELETE", `/api/auth/sessions/${encodeURIComponent(sessionId)}`),
  signOutEverywhere: () => request<void>("DELETE", "/api/auth/sessions"),

  twoFactor: () => request<TwoFactorStatus>("GET", "/api/auth/two-factor"),
  startEnrolment: () => request<Enrolment>("POST", "/api/auth/two-factor/enrol"),
  confirmEnrolment: (code: string) =>
    request<{ recoveryCodes: string[] }>("POST", "/api/auth/two-factor/confirm", { code }).then((answer) => answer.recoveryCodes),
  renewRecoveryCodes: (code: string) =>
    request<{ recoveryCodes: string[] }>("POST", "/api/auth/two-factor/recovery-codes", { code }).then((answer) => answer.recoveryCodes),
  turnOffTwoFactor: (password: string, code: string) => request<void>("DELETE", "/api/auth/two-factor", { password, code }),
  resetTwoFactor: (userId: string) => request<void>("DELETE", `/api/users/${encodeURIComponent(userId)}/two-factor`),
  settings: () => request<Settings>("GET", "/api/settings"),
  updateSettings: (change: Settings) => request<Settings>("PUT", "/api/settings", change),

  /** Pageviews since the site was added: the install check. */
  pageviews: async (siteId: string, signal?: AbortSignal) => {
    const answer = await api.query({ site_id: siteId, metrics: ["pageviews"], date_range: "all" }, signal);
    return answer.results[0]?.metrics[0] ?? 0;
  },
};
