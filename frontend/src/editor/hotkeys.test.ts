import { describe, expect, it } from "vitest";
import { actionFor, actionsFor, actionsForObjects, comboOf, displayCombo, loadKeymap, normaliseCombo } from "./hotkeys";

const ev = (key: string, mods: Partial<KeyboardEvent> = {}) =>
  ({ key, code: "", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods }) as KeyboardEvent;

describe("hotkeys", () => {
  it("normalises combos and events alike", () => {
    expect(normaliseCombo("Shift + Ctrl+Z")).toBe("ctrl+shift+z");
    expect(normaliseCombo("+")).toBe("+");
    expect(comboOf(ev("Z", { ctrlKey: true, shiftKey: true }))).toBe("ctrl+shift+z");
    expect(comboOf(ev(" ", { ctrlKey: true }))).toBe("ctrl+space");
    expect(comboOf(ev("?", { shiftKey: true }))).toBe("?");
    expect(comboOf(ev("Enter", { metaKey: true }))).toBe("ctrl+enter");
    expect(displayCombo("+")).toBe("+");
    expect(displayCombo("ctrl+shift+z")).toBe("Ctrl+Shift+Z");
    expect(displayCombo("alt+arrowleft")).toBe("Alt+←");
  });

  it("maps Label Studio's defaults and honours remapping", () => {
    const store = new Map([["labelhive.hotkeys", JSON.stringify({ submit: "shift+enter" })]]);
    const map = loadKeymap({ getItem: (k: string) => store.get(k) ?? null });
    expect(actionFor(map, "shift+enter")).toBe("submit");
    expect(actionFor(map, "ctrl+enter")).toBeNull();
    expect(actionFor(map, "ctrl+space")).toBe("skip");
    expect(actionFor(map, "ctrl+y")).toBe("redo");
  });
});

describe("help by config", () => {
  it("lists image keys for images and player keys for audio and video", () => {
    const names = (tags: string[]) => actionsForObjects(tags).map((a) => a.action);
    expect(names(["Audio"])).toContain("mediaPlay");
    expect(names(["Audio"])).not.toContain("panLeft");
    expect(names(["Image"])).toContain("panLeft");
    expect(names(["Image"])).not.toContain("mediaPlay");
    expect(names(["Text"])).toContain("submit");
  });
});

describe("keys shared by image and player actions", () => {
  it("lists every action on a key in order, image first", () => {
    const map = loadKeymap(null);
    expect(actionsFor(map, "arrowleft")).toEqual(["panLeft", "mediaBack"]);
    expect(actionsFor(map, "[")).toEqual(["brushSmaller", "mediaSlower"]);
    expect(actionsFor(map, "space")).toEqual(["mediaPlay"]);
  });
});
