/**
 * Keyboard shortcuts: Label Studio's defaults (Ctrl+Enter submit, Ctrl+Space skip, Ctrl+Z undo, number
 * keys for labels and choices), remappable per browser in localStorage and listed in the help overlay.
 */

export type Action =
  | "submit"
  | "skip"
  | "undo"
  | "redo"
  | "deleteRegion"
  | "unselect"
  | "help"
  | "zoomIn"
  | "zoomOut"
  | "zoomFit"
  | "rotateRight"
  | "rotateLeft"
  | "panLeft"
  | "panRight"
  | "panUp"
  | "panDown"
  | "toolSelect"
  | "toolPan"
  | "toolRectangle"
  | "toolPolygon"
  | "toolEllipse"
  | "toolKeypoint"
  | "toolBrush"
  | "toolEraser"
  | "brushSmaller"
  | "brushBigger"
  | "hideRegion"
  | "lockRegion"
  | "relation"
  | "closePolygon"
  | SpanAction
  | MediaAction;

/** Moving an edge of the selected text span: its end or start, one character (or word) left or right. */
export type SpanAction =
  | "spanEndLeft"
  | "spanEndRight"
  | "spanStartLeft"
  | "spanStartRight"
  | "spanEndLeftWord"
  | "spanEndRightWord"
  | "spanStartLeftWord"
  | "spanStartRightWord";

/** Audio and video keys. Some share keys with image ones: each key runs the first action that applies. */
export type MediaAction =
  | "mediaPlay"
  | "mediaBack"
  | "mediaForward"
  | "mediaBackMore"
  | "mediaForwardMore"
  | "mediaSlower"
  | "mediaFaster"
  | "mediaZoomIn"
  | "mediaZoomOut";

export const ACTIONS: { action: Action; label: string; keys: string }[] = [
  { action: "submit", label: "Submit or update", keys: "ctrl+enter" },
  { action: "skip", label: "Skip task", keys: "ctrl+space" },
  { action: "undo", label: "Undo", keys: "ctrl+z" },
  { action: "redo", label: "Redo", keys: "ctrl+shift+z, ctrl+y" },
  { action: "deleteRegion", label: "Delete selected region", keys: "delete, backspace" },
  { action: "unselect", label: "Unselect / cancel drawing", keys: "escape" },
  { action: "help", label: "Show this help", keys: "?" },
  { action: "zoomIn", label: "Zoom in", keys: "+, =" },
  { action: "zoomOut", label: "Zoom out", keys: "-" },
  { action: "zoomFit", label: "Fit image", keys: "f" },
  { action: "rotateRight", label: "Rotate image right", keys: "shift+r" },
  { action: "rotateLeft", label: "Rotate image left", keys: "shift+l" },
  { action: "panLeft", label: "Pan left", keys: "arrowleft" },
  { action: "panRight", label: "Pan right", keys: "arrowright" },
  { action: "panUp", label: "Pan up", keys: "arrowup" },
  { action: "panDown", label: "Pan down", keys: "arrowdown" },
  { action: "toolSelect", label: "Select / move tool", keys: "v" },
  { action: "toolPan", label: "Pan tool (or hold Space)", keys: "h" },
  { action: "toolRectangle", label: "Rectangle tool", keys: "r" },
  { action: "toolPolygon", label: "Polygon tool", keys: "p" },
  { action: "toolEllipse", label: "Ellipse tool", keys: "o" },
  { action: "toolKeypoint", label: "Key point tool", keys: "k" },
  { action: "toolBrush", label: "Brush tool", keys: "b" },
  { action: "toolEraser", label: "Eraser tool", keys: "e" },
  { action: "brushSmaller", label: "Smaller brush", keys: "[" },
  { action: "brushBigger", label: "Bigger brush", keys: "]" },
  { action: "hideRegion", label: "Hide / show selected region", keys: "alt+h" },
  { action: "lockRegion", label: "Lock / unlock selected region", keys: "alt+l" },
  { action: "relation", label: "Relate the selected region to the next one clicked", keys: "alt+r" },
  { action: "closePolygon", label: "Close the polygon being drawn", keys: "enter" },
  // Before the media keys: Shift+arrows resize a selected span, else seek.
  { action: "spanEndLeft", label: "Selected span: end one character left", keys: "shift+arrowleft" },
  { action: "spanEndRight", label: "Selected span: end one character right", keys: "shift+arrowright" },
  { action: "spanStartLeft", label: "Selected span: start one character left", keys: "alt+shift+arrowleft" },
  { action: "spanStartRight", label: "Selected span: start one character right", keys: "alt+shift+arrowright" },
  { action: "spanEndLeftWord", label: "Selected span: end one word left", keys: "ctrl+shift+arrowleft" },
  { action: "spanEndRightWord", label: "Selected span: end one word right", keys: "ctrl+shift+arrowright" },
  { action: "spanStartLeftWord", label: "Selected span: start one word left", keys: "ctrl+alt+shift+arrowleft" },
  { action: "spanStartRightWord", label: "Selected span: start one word right", keys: "ctrl+alt+shift+arrowright" },
  { action: "mediaPlay", label: "Play / pause audio or video", keys: "space" },
  { action: "mediaBack", label: "Back: 1 s of audio, one video frame", keys: "arrowleft" },
  { action: "mediaForward", label: "Forward: 1 s of audio, one video frame", keys: "arrowright" },
  { action: "mediaBackMore", label: "Back: 5 s of audio, 1 s of video", keys: "shift+arrowleft" },
  { action: "mediaForwardMore", label: "Forward: 5 s of audio, 1 s of video", keys: "shift+arrowright" },
  { action: "mediaSlower", label: "Slower playback", keys: "[" },
  { action: "mediaFaster", label: "Faster playback", keys: "]" },
  { action: "mediaZoomIn", label: "Zoom the waveform in", keys: "+, =" },
  { action: "mediaZoomOut", label: "Zoom the waveform out", keys: "-" },
];

const IMAGE_ONLY = new Set<Action>([
  "zoomIn",
  "zoomOut",
  "zoomFit",
  "rotateRight",
  "rotateLeft",
  "panLeft",
  "panRight",
  "panUp",
  "panDown",
  "toolSelect",
  "toolPan",
  "toolRectangle",
  "toolPolygon",
  "toolEllipse",
  "toolKeypoint",
  "toolBrush",
  "toolEraser",
  "brushSmaller",
  "brushBigger",
  "closePolygon",
]);

/** The actions that mean something for a config's objects (by tag), for the help: no pan keys on an audio task. */
export function actionsForObjects(tags: string[]): typeof ACTIONS {
  const image = tags.includes("Image");
  const media = tags.includes("Audio") || tags.includes("Video");
  const text = tags.includes("Text") || tags.includes("Paragraphs");
  return ACTIONS.filter((a) =>
    IMAGE_ONLY.has(a.action) ? image : a.action.startsWith("media") ? media : a.action.startsWith("span") ? text : true,
  );
}

export const STORAGE_KEY = "labelhive.hotkeys";

export type Keymap = Record<Action, string[]>;

export function parseKeys(keys: string): string[] {
  return keys
    .split(",")
    .map((k) => normaliseCombo(k))
    .filter(Boolean);
}

/** "Ctrl + Shift+Z" -> "ctrl+shift+z"; modifiers in a fixed order. */
export function normaliseCombo(combo: string): string {
  const parts = combo
    .toLowerCase()
    .split(/\s*\+\s*(?!$)/)
    .map((p) => p.trim())
    .filter(Boolean);
  const mods = ["ctrl", "alt", "shift"].filter((m) => parts.includes(m) || (m === "ctrl" && parts.includes("meta")));
  const key = parts.filter((p) => !["ctrl", "alt", "shift", "meta", "cmd"].includes(p)).pop() ?? "";
  return key ? [...mods, key].join("+") : "";
}

const NAMED: Record<string, string> = { " ": "space", esc: "escape", del: "delete" };

/** A key event as a combo string. Shift is left out for symbols it produces ("?" not "shift+?"). */
export function comboOf(
  e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "code">,
): string {
  let key = e.key.length === 1 ? e.key.toLowerCase() : e.key.toLowerCase();
  key = NAMED[key] ?? key;
  // Alt changes the produced character on some layouts; use the physical key for letters and digits.
  if (e.altKey && /^(Key[A-Z]|Digit\d)$/.test(e.code)) key = e.code.slice(-1).toLowerCase();
  const symbol = key.length === 1 && !/[a-z0-9]/.test(key);
  const mods: string[] = [];
  if (e.ctrlKey || e.metaKey) mods.push("ctrl");
  if (e.altKey) mods.push("alt");
  if (e.shiftKey && !symbol) mods.push("shift");
  return [...mods, key].join("+");
}

export function loadKeymap(storage: Pick<Storage, "getItem"> | null = safeStorage()): Keymap {
  let custom: Partial<Record<Action, string>> = {};
  try {
    custom = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "{}");
  } catch {
    custom = {};
  }
  const map = {} as Keymap;
  for (const { action, keys } of ACTIONS) map[action] = parseKeys(custom[action] ?? keys);
  return map;
}

export function saveKeymap(
  custom: Partial<Record<Action, string>>,
  storage: Pick<Storage, "setItem"> | null = safeStorage(),
): void {
  storage?.setItem(STORAGE_KEY, JSON.stringify(custom));
}

export function customKeys(storage: Pick<Storage, "getItem"> | null = safeStorage()): Partial<Record<Action, string>> {
  try {
    return JSON.parse(storage?.getItem(STORAGE_KEY) ?? "{}");
  } catch {
    return {};
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export function actionFor(map: Keymap, combo: string): Action | null {
  for (const { action } of ACTIONS) if (map[action].includes(combo)) return action;
  return null;
}

/** Every action on a key, in list order: the editor runs the first that applies (an image pans, else audio seeks). */
export function actionsFor(map: Keymap, combo: string): Action[] {
  return ACTIONS.filter(({ action }) => map[action].includes(combo)).map((a) => a.action);
}

/** Typing into a field: only shortcuts with Ctrl (submit, undo) apply there. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName !== "INPUT") return false;
  const type = (el as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit", "range"].includes(type);
}

export function displayCombo(combo: string): string {
  const parts = combo.endsWith("+") ? [...combo.slice(0, -1).split("+").filter(Boolean), "+"] : combo.split("+");
  const names: Record<string, string> = { arrowleft: "←", arrowright: "→", arrowup: "↑", arrowdown: "↓" };
  return parts
    .filter(Boolean)
    .map((k) => names[k] ?? (k.length === 1 ? k.toUpperCase() : k[0].toUpperCase() + k.slice(1)))
    .join("+");
}

export function isSpanAction(action: Action): action is SpanAction {
  return action.startsWith("span");
}
