import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import type { Storage } from "../../api/integrations";
import { samePath, storageError, syncProgressText } from "./folderSync";

describe("folderSync", () => {
  it("shows a field's reason without the field name", () => {
    const err = new ApiError(400, "Validation error", { path: ["/x is outside the local files root /home/me."] });
    expect(storageError(err)).toBe("/x is outside the local files root /home/me.");
    expect(storageError(new ApiError(400, "Cannot reach this storage: denied"))).toBe(
      "Cannot reach this storage: denied",
    );
  });

  it("takes a trailing slash as the same folder", () => {
    expect(samePath("/data/flowers", "/data/flowers/")).toBe(true);
    expect(samePath("/data/flowers/", "/data/flowers")).toBe(true);
    expect(samePath("/data/flowers//", "/data/flowers/")).toBe(true);
    expect(samePath("/", "/")).toBe(true);
    expect(samePath("/data/flowers", "/data/flower")).toBe(false);
    expect(samePath(undefined, "/data")).toBe(false);
  });

  it("says how far a sync has got", () => {
    const at = (progress?: Storage["meta"]["progress"]) => ({ meta: { progress } }) as Storage;
    expect(syncProgressText(at())).toBe("Sync queued…");
    expect(syncProgressText(at({ phase: "scanning", done: 2000, total: null }))).toBe("Syncing… 2,000 files scanned");
    expect(syncProgressText(at({ phase: "importing", done: 0, total: 12 }))).toBe("Syncing… importing 12 new tasks");
  });
});
