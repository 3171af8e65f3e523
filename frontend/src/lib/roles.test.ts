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
    expect(memberAction({ id: 1, role: "OW" }, 2)).toBeNull();
    expect(memberAction({ id: 2, role: "AD" }, 2)).toBeNull();
    expect(memberAction({ id: 3, role: "AN" }, 2)).toBe("deactivate");
    expect(memberAction({ id: 3, role: "AD" }, 2)).toBe("deactivate");
    expect(memberAction({ id: 3, role: "DI" }, 2)).toBe("reactivate");
  });
});
