/** Organization roles: Label Studio Enterprise's two-letter codes, and what each lets the app offer. */
import type { Role } from "../api/types";

export const ROLE_NAMES: Record<Role, string> = {
  OW: "Owner",
  AD: "Administrator",
  MA: "Manager",
  RE: "Reviewer",
  AN: "Annotator",
  DI: "Deactivated",
};

/** The role a reactivated member comes back with: the least powerful one, raised later if need be. */
export const REACTIVATED_ROLE: Role = "AN";

export function roleName(role: Role | string | undefined): string {
  return (role && ROLE_NAMES[role as Role]) ?? role ?? "—";
}

const RANK: Record<Role, number> = { DI: 0, AN: 1, RE: 2, MA: 3, AD: 4, OW: 5 };

/** Whether `role` is `least` or above: each role may do what the ones below it may (the server decides; the app
 * only leaves out what would be refused). */
export function atLeast(role: Role | undefined, least: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[least];
}

/** Managers and up create and configure projects, import, export and run data-manager actions. */
export function managesProjects(role: Role | undefined): boolean {
  return atLeast(role, "MA");
}

/** Reviewers and up open the data manager; Annotators work in the labeling stream of their projects. */
export function readsDataManager(role: Role | undefined): boolean {
  return atLeast(role, "RE");
}

/** Owners and administrators see the Organization page (members, the invite link). */
export function managesOrganization(role: Role | undefined): boolean {
  return role === "OW" || role === "AD";
}

/** What the members table offers for a member: nobody deactivates themselves or the owner, and only the owner
 * deactivates an administrator (the server refuses the rest; the table does not offer it). */
export function memberAction(
  member: { id: number; role: Role },
  me: { id: number; role: Role },
): "deactivate" | "reactivate" | null {
  if (member.role === "DI") return "reactivate";
  if (member.id === me.id || member.role === "OW") return null;
  if (member.role === "AD" && me.role !== "OW") return null;
  return "deactivate";
}
