/** "?": every shortcut, including the config's label and choice keys; editor shortcuts can be remapped here. */
import { useEffect, useState } from "react";
import {
  ACTIONS,
  actionsForObjects,
  comboOf,
  customKeys,
  displayCombo,
  parseKeys,
  saveKeymap,
  type Action,
  type Keymap,
} from "../hotkeys";
import { useEditor } from "./EditorContext";

interface Props {
  keymap: Keymap;
  onChange: (map: Keymap) => void;
  onClose: () => void;
}

export function HelpOverlay({ keymap, onChange, onClose }: Props) {
  const { config } = useEditor();
  const [editing, setEditing] = useState<Action | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopPropagation();
      if (!editing) {
        if (e.key === "Escape" || e.key === "?") onClose();
        return;
      }
      if (["Control", "Shift", "Alt", "Meta"].includes(e.key)) return;
      if (e.key !== "Escape") {
        const custom = { ...customKeys(), [editing]: comboOf(e) };
        saveKeymap(custom);
        onChange({ ...keymap, [editing]: parseKeys(comboOf(e)) });
      }
      setEditing(null);
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [editing, keymap, onChange, onClose]);

  const reset = () => {
    saveKeymap({});
    const map = {} as Keymap;
    for (const a of ACTIONS) map[a.action] = parseKeys(a.keys);
    onChange(map);
  };

  const labelKeys = config.controls.flatMap((c) =>
    c.labels
      .filter((l) => l.hotkey)
      .map((l) => ({ key: l.hotkey!, what: `${c.tag === "Choices" ? "Choose" : "Label"} “${l.value}” (${c.name})` })),
  );

  return (
    <div className="overlay-backdrop" onClick={onClose}>
      <div
        className="dialog help"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="dialog-head">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="btn ghost small" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
        <div className="help-cols">
          <table>
            <tbody>
              {actionsForObjects(config.objects.map((o) => o.tag)).map((a) => (
                <tr key={a.action}>
                  <td>{a.label}</td>
                  <td>
                    <button
                      type="button"
                      className="keys"
                      title="Click, then press the new key"
                      onClick={() => setEditing(a.action)}
                    >
                      {editing === a.action ? "Press a key…" : keymap[a.action].map(displayCombo).join(" or ") || "—"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {labelKeys.length > 0 && (
            <table>
              <tbody>
                {labelKeys.map((l) => (
                  <tr key={l.key + l.what}>
                    <td>{l.what}</td>
                    <td>
                      <kbd className="hk">{l.key}</kbd>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <p className="hint">
          Click a shortcut to change it (saved in this browser). Label and choice keys come from the config’s{" "}
          <code>hotkey</code> attributes.{" "}
          <button type="button" className="btn ghost small" onClick={reset}>
            Restore defaults
          </button>
        </p>
      </div>
    </div>
  );
}
