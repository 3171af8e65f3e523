/** Controls that produce results: Choices, TextArea, Rating, Number, and the label pickers of *Labels. */
import { useState } from "react";
import { isTrue, mediaShapeOf, type Control, type LabelDef, type ParsedConfig } from "../config/parse";
import { isMedia, isSpan, regionPart, type Region } from "../store/doc";
import type { EditorStore, ToolName } from "../store/store";
import { useEditor, useEditorState } from "./EditorContext";

/** The value a control holds: on the selected region for perRegion controls, on the object otherwise. */
export function useControlValue(control: Control): {
  value: unknown;
  set: (payload: unknown, merge?: string | null) => void;
  target: string | null;
} | null {
  const { store } = useEditor();
  const state = useEditorState();
  const toName = control.toName[0] ?? "";
  if (control.perRegion) {
    // Per-region fields belong to one region: with several picked, which one would the text go to?
    const id = state.ui.selected.length === 1 ? state.ui.selected[0] : undefined;
    const region = id ? state.doc.regions.find((r) => r.id === id) : undefined;
    if (!region || !control.toName.includes(region.toName)) return null;
    return {
      value: regionPart(region, control.name)?.payload,
      set: (payload, merge = null) => store.setRegionPart(region.id, control, payload, merge),
      target: region.id,
    };
  }
  const c = state.doc.classifications.find((x) => x.fromName === control.name && x.toName === toName);
  return {
    value: c?.payload,
    set: (payload, merge = null) => store.setClassification(control, toName, payload, merge),
    target: null,
  };
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Toggle a choice the way Label Studio does: single choice replaces (or clears), multiple adds or removes. */
export function toggleChoice(control: Control, current: string[], value: string): string[] {
  const multiple = control.node.attrs.choice === "multiple";
  if (current.includes(value)) return current.filter((v) => v !== value);
  return multiple ? [...current, value] : [value];
}

/**
 * A choice's hotkey chooses it, as in Prodigy: in a single choice it replaces the answer, and pressing the
 * key of the answer already chosen (say, a prediction's) keeps it. Multiple choice toggles, as a click does.
 */
export function chooseByKey(control: Control, current: string[], value: string): string[] {
  if (control.node.attrs.choice === "multiple") return toggleChoice(control, current, value);
  return current.length === 1 && current[0] === value ? current : [value];
}

function Hotkey({ k }: { k: string | null }) {
  return k ? <kbd className="hk">{k}</kbd> : null;
}

export function ErrorText({ name }: { name: string }) {
  const { errors } = useEditor();
  return errors[name] ? (
    <p className="control-error" role="alert">
      {errors[name]}
    </p>
  ) : null;
}

export function ChoicesControl({ control }: { control: Control }) {
  const bound = useControlValue(control);
  if (!bound) return null;
  const selected = asList(bound.value);
  const multiple = control.node.attrs.choice === "multiple";
  const inline = isTrue(control.node.attrs.showinline);
  const layout = control.node.attrs.layout;
  return (
    <fieldset
      className={`choices${inline || layout === "inline" ? " inline" : ""}`}
      data-testid={`control-${control.name}`}
    >
      <legend className="sr-only">{control.name}</legend>
      {control.labels.map((l) => (
        <label key={l.value} className={`choice${selected.includes(l.value) ? " on" : ""}`} title={l.hint ?? undefined}>
          <input
            type={multiple ? "checkbox" : "radio"}
            name={`${control.name}-${bound.target ?? "task"}`}
            checked={selected.includes(l.value)}
            onChange={() => undefined}
            onClick={() => bound.set(toggleChoice(control, selected, l.value))}
          />
          <span>{l.value}</span>
          <Hotkey k={l.hotkey} />
        </label>
      ))}
      <ErrorText name={control.name} />
    </fieldset>
  );
}

export function TextAreaControl({ control }: { control: Control }) {
  const bound = useControlValue(control);
  const [draft, setDraft] = useState("");
  if (!bound) return null;
  const texts = asList(bound.value);
  const a = control.node.attrs;
  const rows = Number(a.rows ?? 1) || 1;
  const max = Number(a.maxsubmissions ?? 0) || Infinity;
  const key = `text:${control.name}:${bound.target ?? ""}`;
  const add = () => {
    const text = draft.trim();
    if (!text) return;
    bound.set([...texts, text]);
    setDraft("");
  };
  const Field = rows > 1 ? "textarea" : "input";
  return (
    <div className="textarea-control" data-testid={`control-${control.name}`}>
      {texts.map((text, i) => (
        <div key={i} className="text-item">
          <Field
            value={text}
            aria-label={`${control.name} text ${i + 1}`}
            {...(rows > 1 ? { rows } : {})}
            onChange={(e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
              bound.set(
                texts.map((t, k) => (k === i ? e.target.value : t)),
                key,
              )
            }
          />
          <button
            type="button"
            className="btn ghost small"
            aria-label={`Remove text ${i + 1}`}
            onClick={() => bound.set(texts.filter((_, k) => k !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      {texts.length < max && (
        <Field
          value={draft}
          placeholder={
            a.placeholder ?? (control.perRegion ? "Text for the selected region, Enter to add" : "Type, Enter to add")
          }
          aria-label={a.placeholder ?? control.name}
          {...(rows > 1 ? { rows } : {})}
          onChange={(e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setDraft(e.target.value)}
          onBlur={add}
          onKeyDown={(e: React.KeyboardEvent) => {
            if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              add();
            }
          }}
        />
      )}
      <ErrorText name={control.name} />
    </div>
  );
}

export function RatingControl({ control }: { control: Control }) {
  const bound = useControlValue(control);
  if (!bound) return null;
  const max = Number(control.node.attrs.maxrating ?? 5) || 5;
  const value = typeof bound.value === "number" ? bound.value : 0;
  return (
    <div className="rating" role="radiogroup" aria-label={control.name} data-testid={`control-${control.name}`}>
      {Array.from({ length: max }, (_, i) => i + 1).map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          aria-label={`${n} of ${max}`}
          className={`star${n <= value ? " on" : ""}`}
          onClick={() => bound.set(value === n ? undefined : n)}
        >
          ★
        </button>
      ))}
      <ErrorText name={control.name} />
    </div>
  );
}

export function NumberControl({ control }: { control: Control }) {
  const bound = useControlValue(control);
  if (!bound) return null;
  const a = control.node.attrs;
  return (
    <div data-testid={`control-${control.name}`}>
      <input
        type="number"
        className="number-input"
        aria-label={control.name}
        min={a.min}
        max={a.max}
        step={a.step ?? "any"}
        value={typeof bound.value === "number" ? bound.value : ""}
        onChange={(e) =>
          bound.set(
            e.target.value === "" ? undefined : Number(e.target.value),
            `num:${control.name}:${bound.target ?? ""}`,
          )
        }
      />
      <ErrorText name={control.name} />
    </div>
  );
}

const TOOL_OF: Record<string, ToolName> = {
  rectangle: "rectangle",
  polygon: "polygon",
  ellipse: "ellipse",
  keypoint: "keypoint",
  brush: "brush",
};

/**
 * Pick a label of a *Labels control: it becomes the label of the next region (and switches to the
 * control's tool), and of the selected region when there is one, as in Label Studio.
 */
export function pickLabel(store: EditorStore, config: ParsedConfig, control: Control, value: string): void {
  const { ui, doc } = store.state;
  const current = ui.activeLabels[control.name] ?? [];
  const multiple = control.node.attrs.choice === "multiple";
  const appliesTo = (region: Region) =>
    control.toName.includes(region.toName) &&
    (isMedia(region.shape)
      ? mediaShapeOf(control, config.objectByName.get(region.toName)) === region.shape
      : control.shape === null
        ? control.type === "labels" || isSpan(region.shape)
        : control.shape === region.shape);
  // A region selected only because it was just drawn is not relabelled: the label is for the next one.
  const justDrawn = ui.drawn !== null && ui.selected.length === 1 && ui.selected[0] === ui.drawn;
  const selected = justDrawn
    ? []
    : ui.selected.map((id) => doc.regions.find((r) => r.id === id)).filter((r): r is Region => !!r);
  const region = selected.length === 1 ? selected[0] : undefined;
  const targets = selected.filter(appliesTo);
  if (targets.length && (region || targets.length === selected.length)) {
    // One region, or several picked with Shift: the label (toggled on the first, for multiple choice)
    // goes on each of them, as one step to undo.
    const had = (regionPart(targets[0], control.name)?.payload as string[] | undefined) ?? [];
    const next = multiple ? (had.includes(value) ? had.filter((v) => v !== value) : [...had, value]) : [value];
    const step = `relabel-${Date.now()}`;
    for (const r of targets) store.setRegionPart(r.id, control, next, targets.length > 1 ? step : null);
    store.setUi({ activeLabels: { ...ui.activeLabels, [control.name]: next } });
    return;
  }
  const next = current.includes(value) ? current.filter((v) => v !== value) : multiple ? [...current, value] : [value];
  const activeLabels = { ...ui.activeLabels, [control.name]: next };
  // Picking a label of one drawing control puts down the labels of the others: one thing is drawn at a time.
  if (next.length && control.shape)
    for (const c of config.controls) if (c !== control && c.shape) delete activeLabels[c.name];
  const patch: Parameters<EditorStore["setUi"]>[0] = { activeLabels };
  if (
    next.length &&
    control.shape &&
    (ui.tool === "select" || ui.tool === "pan" || !toolMatches(ui.tool, control.shape))
  )
    patch.tool = TOOL_OF[control.shape];
  if (selected.length || justDrawn) patch.selected = [];
  store.setUi(patch);
}

function toolMatches(tool: ToolName, shape: string): boolean {
  return tool === shape || (shape === "brush" && tool === "eraser");
}

export function LabelsControl({ control }: { control: Control }) {
  const { store, config } = useEditor();
  const state = useEditorState();
  const region =
    state.ui.selected.length === 1 ? state.doc.regions.find((r) => r.id === state.ui.selected[0]) : undefined;
  const onRegion = region ? ((regionPart(region, control.name)?.payload as string[] | undefined) ?? null) : null;
  const active = onRegion ?? state.ui.activeLabels[control.name] ?? [];
  return (
    <div className="labels" role="group" aria-label={`${control.name} labels`} data-testid={`control-${control.name}`}>
      {control.labels.map((l: LabelDef) => (
        <button
          key={l.value}
          type="button"
          className={`label-chip${active.includes(l.value) ? " on" : ""}`}
          style={{ "--chip": l.background } as React.CSSProperties}
          aria-pressed={active.includes(l.value)}
          title={l.hint ?? undefined}
          onClick={() => pickLabel(store, config, control, l.value)}
        >
          <span className="dot" />
          {l.value}
          <Hotkey k={l.hotkey} />
        </button>
      ))}
    </div>
  );
}

/** A label's or choice's hotkey (`combo` as hotkeys.comboOf writes it): pick that label for the next region,
 * or toggle that choice (on the selected region for a per-region one). False when no control has the key. */
/** Whether a hotkey sets an answer (a choice), rather than picking the label to draw with. */
export function isChoiceKey(config: ParsedConfig, combo: string): boolean {
  const c = config.controls.find((x) => x.labels.some((l) => l.hotkey && l.hotkey.toLowerCase() === combo));
  return c?.tag === "Choices";
}

export function applyLabelKey(store: EditorStore, config: ParsedConfig, combo: string): boolean {
  for (const c of config.controls) {
    const l = c.labels.find((x) => x.hotkey && x.hotkey.toLowerCase() === combo);
    if (!l) continue;
    if (c.kind === "labels") {
      pickLabel(store, config, c, l.value);
      return true;
    }
    if (c.tag === "Choices") {
      const toName = c.toName[0] ?? "";
      if (c.perRegion) {
        const r = store.selectedRegion();
        if (!r) continue;
        const cur = (r.parts.find((p) => p.fromName === c.name)?.payload as string[] | undefined) ?? [];
        const next = chooseByKey(c, cur, l.value);
        if (next !== cur) store.setRegionPart(r.id, c, next);
      } else {
        const cur = store.state.doc.classifications.find((x) => x.fromName === c.name && x.toName === toName);
        const now = (cur?.payload as string[] | undefined) ?? [];
        const next = chooseByKey(c, now, l.value);
        // Unchanged stays untouched: a prediction keeps its origin (and its badge) when its key is pressed.
        if (next !== now) store.setClassification(c, toName, next);
      }
      return true;
    }
  }
  return false;
}
