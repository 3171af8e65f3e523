import { describe, expect, it } from "vitest";
import type { Project } from "../../api/types";
import { draftsOf, unsavedSections } from "./drafts";

const project = {
  id: 1,
  title: "Flowers",
  description: "",
  color: "red",
  label_config: "<View></View>",
  expert_instruction: "",
  show_instruction: false,
  show_skip_button: true,
  show_collab_predictions: true,
  sampling: "Sequential sampling",
} as Project;

describe("settings drafts", () => {
  it("starts with nothing unsaved, even for a color the picker cannot show", () => {
    const drafts = draftsOf(project);
    expect(drafts.general.color).toBe("#d97706");
    expect(unsavedSections(drafts, project).size).toBe(0);
  });

  it("names each section whose form was edited", () => {
    const drafts = draftsOf(project);
    const edited = {
      ...drafts,
      general: { ...drafts.general, sampling: "Uniform sampling" as const },
      annotation: { ...drafts.annotation, show_skip_button: false },
    };
    expect([...unsavedSections(edited, project)].sort()).toEqual(["annotation", "general"]);
    expect(unsavedSections(edited, { ...project, sampling: "Uniform sampling", show_skip_button: false }).size).toBe(0);
  });
});
