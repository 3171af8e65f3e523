import { describe, expect, it } from "vitest";
import { actionFor, comboOf, displayCombo, loadKeymap, normaliseCombo } from "./hotkeys";

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
