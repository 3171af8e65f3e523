/**
 * Label Studio's Pairwise: which of two objects is better. The result is {selected: "left" | "right"} with
 * to_name naming both objects ("text1,text2"), as Label Studio normalises controls on several objects.
 * Arrow keys with Shift pick a side; picking the chosen side again clears it.
 */
import { useEffect } from "react";
import type { Control } from "../config/parse";
import { isTyping } from "../hotkeys";
import { useEditor, useEditorState } from "./EditorContext";

export function PairwiseControl({ control }: { control: Control }) {
  const { store } = useEditor();
  const { doc } = useEditorState();
  const toName = control.toName.join(",");
  const current = doc.classifications.find((c) => c.fromName === control.name)?.payload;
  const [left, right] = control.toName;

  useEffect(() => {
    const pick = (side: "left" | "right") => {
      const now = store.state.doc.classifications.find((c) => c.fromName === control.name);
      store.setClassification(control, now?.toName ?? toName, now?.payload === side ? undefined : side);
    };
    const onKey = (e: KeyboardEvent) => {
      if (!e.shiftKey || e.ctrlKey || e.altKey || e.metaKey || isTyping(e.target)) return;
      // With a text span selected, Shift+arrows resize it (TaskEditor's span keys).
      const shape = store.selectedRegion()?.shape;
      if (shape === "text" || shape === "paragraph") return;
      if (e.key === "ArrowLeft") pick("left");
      else if (e.key === "ArrowRight") pick("right");
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, control, toName]);

  const side = (s: "left" | "right", name: string | undefined) => (
    <button
      type="button"
      className={`btn pairwise-side${current === s ? " on" : ""}`}
      aria-pressed={current === s}
      title={`Shift+${s === "left" ? "←" : "→"}`}
      onClick={() => {
        const now = store.state.doc.classifications.find((c) => c.fromName === control.name);
        store.setClassification(control, now?.toName ?? toName, current === s ? undefined : s);
      }}
    >
      {s === "left" ? `← ${name ?? "Left"} is better` : `${name ?? "Right"} is better →`}
    </button>
  );
  return (
    <div className="pairwise" role="group" aria-label={control.name} data-testid={`control-${control.name}`}>
      {side("left", left)}
      {side("right", right)}
    </div>
  );
}
