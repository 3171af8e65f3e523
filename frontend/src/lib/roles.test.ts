import { describe, expect, it } from "vitest";
import { managesOrganization, memberAction, roleName } from "./roles";

describe("roles", () => {
  it("names each role as a word", () => {
    expect(roleName("OW")).toBe("Owner");
    expect(roleName("DI")).toBe("Deactivated");
    expect(roleName("XX")).toBe("XX");
    expect(roleName(undefined)).toBe("—");
  });

  it("shows the Organization page to owners and administrators only", () => {
    expect(managesOrganization("OW")).toBe(true);
    expect(managesOrganization("AD")).toBe(true);
    for (const role of ["MA", "RE", "AN", "DI", undefined] as const) expect(managesOrganization(role)).toBe(false);
  });

  it("offers no way to deactivate yourself or the owner", () => {
    const owner = { id: 1, role: "OW" } as const;
    expect(memberAction(owner, owner)).toBeNull();
    expect(memberAction(owner, { id: 2, role: "AD" })).toBeNull();
    expect(memberAction({ id: 2, role: "AD" }, { id: 2, role: "AD" })).toBeNull();
    expect(memberAction({ id: 3, role: "AN" }, owner)).toBe("deactivate");
    expect(memberAction({ id: 3, role: "DI" }, owner)).toBe("reactivate");
  });

  it("leaves administrators to the owner", () => {
    expect(memberAction({ id: 3, role: "AD" }, { id: 1, role: "OW" })).toBe("deactivate");
    expect(memberAction({ id: 3, role: "AD" }, { id: 2, role: "AD" })).toBeNull();
    expect(memberAction({ id: 3, role: "MA" }, { id: 2, role: "AD" })).toBe("deactivate");
  });
});
