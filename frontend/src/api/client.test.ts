import { describe, expect, it } from "vitest";
import { ApiError, apiError, errorMessage } from "./client";

describe("errorMessage", () => {
  it("shows a per-field validation message without the field's path", () => {
    const err = apiError(400, {
      detail: "Validation error",
      validation_errors: { label_config: ["line 1: Label config is not valid XML: mismatched tag (column 39)"] },
    });
    expect(errorMessage(err)).toBe("line 1: Label config is not valid XML: mismatched tag (column 39)");
  });

  it("joins the messages of several fields, still without their paths", () => {
    const err = new ApiError(400, "Validation error", {
      "storage.path": ["Give a folder."],
      title: ["Use a title of at most 1000 characters.", "Use a name."],
    });
    expect(errorMessage(err)).toBe("Give a folder. Use a title of at most 1000 characters. Use a name.");
    expect(errorMessage(err)).not.toMatch(/^[\w.[\]]+: /);
  });

  it("keeps a detail that says more than 'Validation error', with the messages after it", () => {
    const err = new ApiError(400, "Could not connect", { url: ["Nothing answers at http://x:9090."] });
    expect(errorMessage(err)).toBe("Could not connect (Nothing answers at http://x:9090.)");
  });

  it("shows a plain detail as it is", () => {
    expect(errorMessage(apiError(404, { detail: "Not found." }))).toBe("Not found.");
    expect(errorMessage(apiError(502, "<html>Bad gateway</html>"))).toBe("<html>Bad gateway</html>");
  });
});
