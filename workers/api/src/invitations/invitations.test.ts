import { describe, expect, it } from "vitest";
import { inbox, lastMessage, linkIn } from "@pixel/test/support/workers/email";
import { accessWorld, apiEnv, call, login, newSite, signedInUser, unique } from "@pixel/test/support/workers/api";

const PASSWORD = "the invitee's own password";
const newAddress = () => `${unique("invitee")}@pixel.test`;
const tokenOf = (link: string) => new URL(link).hash.slice(1);

async function invite(siteId: string, cookie: string, email: string, role = "viewer") {
  return call(`/sites/${siteId}/invitations`, { cookie, body: { email, role } });
}

async function invitationToken(email: string) {
  return tokenOf(linkIn(await lastMessage(email), "http://pixel.test/invitation#pxi_"));
}

describe("invitations", () => {
  it("an owner invites an address; the invitee follows the link, sets a password and lands on the site", async () => {
    const { a, owner } = await accessWorld();
    const email = newAddress();
    const invited = await invite(a.id, owner.cookie, email, "admin");
    expect(invited.status).toBe(201);
    expect(invited.json.invitation).toMatchObject({ email, role: "admin" });
    const days = (Date.parse(invited.json.invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const message = await lastMessage(email);
    expect(message.subject).toBe(`You are invited to ${a.name} on Pixel`);
    expect(message.text).toContain(`${owner.user.email} invited you to see the analytics of ${a.name} as an admin.`);
    const link = linkIn(message, "http://pixel.test/invitation#pxi_");
    expect(message.html).toContain(`<a href="${link}">`);

    const preview = await call("/invitations/preview", { body: { token: tokenOf(link) } });
    expect(preview.json).toMatchObject({ email, role: "admin", site: { id: a.id, name: a.name } });

    const accepted = await call("/invitations/accept", { body: { token: tokenOf(link), password: PASSWORD, name: "Ada" } });
    expect(accepted.status).toBe(201);
    expect(accepted.json).toMatchObject({ user: { email, name: "Ada", role: "user" }, siteId: a.id });
    const cookie = accepted.headers.get("set-cookie")!.split(";")[0]!;
    expect((await call(`/sites/${a.id}`, { cookie })).json.site).toMatchObject({ id: a.id, role: "admin" });
    await login(email, PASSWORD);

    const again = await call("/invitations/accept", { body: { token: tokenOf(link), password: PASSWORD } });
    expect(again.status).toBe(400);
    expect(again.json.error).toMatch(/^token: this invitation is unknown, already used, revoked or expired/);
    expect((await call(`/sites/${a.id}/invitations`, { cookie: owner.cookie })).json.invitations).toEqual([]);
  });

  it("lists pending invitations, and a revoked one no longer works", async () => {
    const { a, owner } = await accessWorld();
    const [first, second] = [newAddress(), newAddress()];
    await invite(a.id, owner.cookie, first);
    const { json } = await invite(a.id, owner.cookie, second);
    const pending = await call(`/sites/${a.id}/invitations`, { cookie: owner.cookie });
    expect(pending.json.invitations.map((invitation: { email: string }) => invitation.email)).toEqual([first, second]);

    const token = await invitationToken(second);
    expect((await call(`/sites/${a.id}/invitations/${json.invitation.id}`, { cookie: owner.cookie, method: "DELETE" })).status).toBe(204);
    expect((await call("/invitations/accept", { body: { token, password: PASSWORD } })).status).toBe(400);
    const missing = await call(`/sites/${a.id}/invitations/${json.invitation.id}`, { cookie: owner.cookie, method: "DELETE" });
    expect([missing.status, missing.json.error]).toEqual([404, `invitationId: no pending invitation ${json.invitation.id} to this site`]);
  });

  it("an expired invitation is refused and no longer listed", async () => {
    const { a, owner } = await accessWorld();
    const email = newAddress();
    await invite(a.id, owner.cookie, email);
    const token = await invitationToken(email);
    await apiEnv.DB.prepare("update invitations set expires_at = ? where email = ?").bind(Date.now() - 1, email).run();
    expect((await call("/invitations/accept", { body: { token, password: PASSWORD } })).status).toBe(400);
    expect((await call(`/sites/${a.id}/invitations`, { cookie: owner.cookie })).json.invitations).toEqual([]);
  });

  it("only site owners and global admins invite", async () => {
    const { a, b, owner, siteAdmin, viewer, globalAdmin } = await accessWorld();
    expect((await invite(a.id, siteAdmin.cookie, newAddress())).status).toBe(403);
    expect((await invite(a.id, viewer.cookie, newAddress())).status).toBe(403);
    expect((await invite(b.id, owner.cookie, newAddress())).status).toBe(404);
    expect((await call(`/sites/${a.id}/invitations`, { cookie: viewer.cookie })).status).toBe(403);
    expect((await invite(b.id, globalAdmin.cookie, newAddress())).status).toBe(201);
    expect((await call(`/sites/${a.id}/invitations`, {})).status).toBe(401);
  });

  it("an address with an account is refused with a 409 that says to add it under members; bad input is named", async () => {
    const site = await newSite();
    const { cookie } = await signedInUser("admin");
    const { user } = await signedInUser();
    const existing = await invite(site.id, cookie, user.email);
    expect([existing.status, existing.json.error]).toEqual([409, `email: ${user.email} already has an account; add it under members instead`]);
    expect(await inbox(user.email)).toEqual([]);
    expect((await invite(site.id, cookie, newAddress(), "superuser")).json.error).toBe("role: role is owner, admin or viewer");
    expect((await call("/invitations/accept", { body: { token: "pxr_1", password: PASSWORD } })).json.error).toBe("token: not an invitation token");
  });

  it("global admins can still create accounts directly", async () => {
    const { cookie } = await signedInUser("admin");
    const created = await call("/users", { cookie, body: { email: newAddress(), password: PASSWORD } });
    expect(created.status).toBe(201);
  });
});
