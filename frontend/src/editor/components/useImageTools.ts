/**
 * The pointer on an image: pan, select and move, drag handles, and draw with the active tool. Screen
 * positions become image pixels here (toImage) and nowhere else; edits go to the store as percent values.
 */
import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from "react";
import type { ShapeType } from "../config/parse";
import { isTyping } from "../hotkeys";
import {
  clampPoint,
  clampTranslation,
  rectFromCorners,
  resizeEllipse,
  resizeRect,
  rotateEllipseTo,
  rotateRectTo,
  translate,
  valueFromShape,
  type Shape,
} from "../geometry/shapes";
import { toImage, toScreen, type Point, type Transform } from "../geometry/transform";
import { makeRegion, newRegionParts } from "../regions";
import type { ImageMeta, Region } from "../store/doc";
import type { ToolName } from "../store/store";
import type { EditorEnv } from "./EditorContext";
import { brushAt, hitRegion } from "./hitTest";
import { handleAt, handlesFor, type HandleRef } from "./Overlay";
import { regionShape } from "./regionLayer";

type Gesture =
  | { kind: "pan"; start: Point; t0: Transform }
  | { kind: "move"; id: string; start: Point; shape0: Shape; key: string }
  | { kind: "handle"; id: string; ref: HandleRef; shape0: Shape; key: string }
  | { kind: "rect" | "ellipse"; start: Point; cur: Point }
  | { kind: "brush"; points: [number, number][]; erase: boolean; regionId: string | null };

export const DRAW_TOOLS: ToolName[] = ["rectangle", "polygon", "ellipse", "keypoint", "brush", "eraser"];
const MIN_DRAG_PX = 3;
const CLOSE_PX = 8;
const PICK_LABEL = "Pick a label first (click it or press its number key), then draw.";
let gestureCount = 0;

export interface ToolsInput {
  env: EditorEnv;
  name: string;
  W: number;
  H: number;
  t: Transform | null;
  setT: Dispatch<SetStateAction<Transform | null>>;
  meta: () => ImageMeta;
  regions: Region[];
  /** Shapes this image can be drawn with. */
  shapes: ShapeType[];
  viewRef: React.RefObject<HTMLDivElement | null>;
  onPan: () => void;
}

export interface Preview {
  polygon: { points: [number, number][]; hover: Point | null } | null;
  drawing: Shape | null;
  stroke: { points: [number, number][]; size: number; erase: boolean } | null;
  cursor: Point | null;
}

function ellipseFrom(c: Point, p: Point): Shape {
  return { kind: "ellipse", cx: c.x, cy: c.y, rx: Math.abs(p.x - c.x), ry: Math.abs(p.y - c.y), rotation: 0 };
}

export function useImageTools(input: ToolsInput) {
  const { env, name, W, H, t, setT, meta, regions, shapes, viewRef, onPan } = input;
  const { store, config } = env;
  const [preview, setPreview] = useState<Preview>({ polygon: null, drawing: null, stroke: null, cursor: null });
  const gesture = useRef<Gesture | null>(null);
  // The polygon being drawn lives in a ref: clicks can come faster than React re-renders.
  const poly = useRef<[number, number][] | null>(null);
  const spaceDown = useRef(false);
  const patch = (p: Partial<Preview>) => setPreview((old) => ({ ...old, ...p }));
  // The shape that asked for a label, while its "pick a label" hint is up: picking one takes the hint down.
  const labelWanted = useRef<ShapeType | null>(null);
  const askForLabel = (shape: ShapeType) => {
    labelWanted.current = shape;
    env.hint(PICK_LABEL);
  };
  const labelsPicked = store.state.ui.activeLabels;
  useEffect(() => {
    const shape = labelWanted.current;
    if (shape && newRegionParts(config, name, shape, labelsPicked)) {
      labelWanted.current = null;
      env.hint("");
    }
  }, [labelsPicked, config, name, env]);

  // Space held: pan with the pointer, whatever the tool.
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.key !== " " || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      spaceDown.current = true;
      // Space pans here; it must not scroll the page (nor press a focused button).
      e.preventDefault();
    };
    const up = (e: KeyboardEvent) => {
      if (e.key === " ") spaceDown.current = false;
    };
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
    };
  }, []);

  const create = (shape: ShapeType, geometry: Record<string, unknown>, strokes?: Region["strokes"]): boolean => {
    const parts = newRegionParts(config, name, shape, store.state.ui.activeLabels);
    if (!parts) {
      askForLabel(shape);
      return false;
    }
    const region = makeRegion(name, shape, geometry, parts, meta());
    if (strokes) region.strokes = strokes;
    // A new region is selected, so Delete removes it and its handles show. It is marked as just drawn: a label
    // key then picks the label of the next region (as in Label Studio) instead of relabelling this one.
    // With per-region controls (OCR text) or a brush, the selection is the region being worked on.
    const perRegion = config.controls.some((c) => c.perRegion && c.toName.includes(name));
    if (perRegion || shape === "brush") store.addRegion(region, true);
    else {
      store.addRegion(region, false);
      store.setUi({ selected: [region.id], drawn: region.id });
    }
    return true;
  };

  const setPoly = (points: [number, number][] | null, hover: Point | null = null) => {
    poly.current = points;
    patch({ polygon: points ? { points, hover } : null });
  };

  const closePolygon = (): boolean => {
    // A double click adds its point twice before it closes the polygon: drop repeated points.
    const points = poly.current?.filter(
      (p, i, all) => i === 0 || Math.hypot(p[0] - all[i - 1][0], p[1] - all[i - 1][1]) > 0.5,
    );
    if (!points || points.length < 3) return false;
    setPoly(null);
    create("polygon", valueFromShape({ kind: "polygon", points, closed: true }, W, H));
    return true;
  };

  const cancel = (): boolean => {
    const busy = !!poly.current || !!gesture.current;
    poly.current = null;
    gesture.current = null;
    setPreview((old) => ({ ...old, polygon: null, drawing: null, stroke: null }));
    return busy;
  };

  const local = (e: { clientX: number; clientY: number }): Point => {
    const r = viewRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const { ui } = store.state;
  const selectedRegion = ui.selected.length === 1 ? regions.find((r) => r.id === ui.selected[0]) : undefined;

  const startBrush = (q: Point, tool: ToolName): void => {
    const { hidden, locked, activeLabels, brushSize } = store.state.ui;
    const erase = tool === "eraser";
    const sel = selectedRegion?.shape === "brush" ? selectedRegion : undefined;
    let regionId = sel && !locked.has(sel.id) ? sel.id : null;
    if (erase && !regionId) {
      regionId = brushAt(regions, hidden, q, W, H)?.id ?? null;
      if (!regionId) {
        labelWanted.current = null;
        env.hint("Select the brush region to erase from.");
        return;
      }
      store.select([regionId]);
    }
    if (!erase && regionId && sel) {
      // Paint into the selected region only when it carries the label picked now (or none is picked).
      const want = newRegionParts(config, name, "brush", activeLabels)?.find((p) => Array.isArray(p.payload))?.payload;
      const has = sel.parts.find((p) => Array.isArray(p.payload))?.payload;
      if (Array.isArray(want) && Array.isArray(has) && want.join() !== has.join()) regionId = null;
    }
    if (!erase && !regionId && !newRegionParts(config, name, "brush", activeLabels)) {
      askForLabel("brush");
      return;
    }
    gesture.current = { kind: "brush", points: [[q.x, q.y]], erase, regionId };
    patch({ stroke: { points: [[q.x, q.y]], size: brushSize, erase } });
  };

  const onPointerDown = (e: React.PointerEvent) => {
    if (!t || !W) return;
    env.activeImage.current = name;
    const { tool, hidden, locked, relationFrom } = store.state.ui;
    const screen = local(e);
    const p = toImage(t, screen);
    const inside = p.x >= 0 && p.y >= 0 && p.x <= W && p.y <= H;
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    const key = `g${++gestureCount}`;

    if (e.button === 1 || spaceDown.current || tool === "pan") {
      gesture.current = { kind: "pan", start: screen, t0: t };
      return;
    }
    if (e.button !== 0) return;

    if (relationFrom) {
      const target = hitRegion(regions, hidden, p, t.scale, W, H);
      if (target && target.id !== relationFrom) store.addRelation(relationFrom, target.id);
      store.setUi({ relationFrom: null });
      return;
    }

    // Handles of the selected region come first, whatever the tool.
    const selectedShape = selectedRegion ? regionShape(selectedRegion, W, H) : null;
    if (selectedRegion && selectedShape && !locked.has(selectedRegion.id) && tool !== "brush" && tool !== "eraser") {
      const h = handleAt(handlesFor(selectedShape, t), screen);
      if (h && selectedShape.kind === "polygon" && h.ref.kind === "vertex" && e.altKey) {
        // Alt+click removes a vertex, as in Label Studio; a polygon keeps at least three.
        const index = h.ref.index;
        if (selectedShape.points.length > 3) {
          const points = selectedShape.points.filter((_, i) => i !== index);
          store.updateRegion(
            selectedRegion.id,
            { geometry: valueFromShape({ ...selectedShape, points }, W, H) },
            meta(),
          );
        }
        return;
      }
      if (h && selectedShape.kind === "polygon" && h.ref.kind === "midpoint") {
        // The new vertex is written at once under the gesture's key, so the insert and the drag that
        // follows are one step to undo.
        const at = h.ref.index + 1;
        const [ax, ay] = selectedShape.points[h.ref.index];
        const [bx, by] = selectedShape.points[at % selectedShape.points.length];
        const points = [...selectedShape.points];
        points.splice(at, 0, [(ax + bx) / 2, (ay + by) / 2]);
        const shape0 = { ...selectedShape, points };
        store.updateRegion(selectedRegion.id, { geometry: valueFromShape(shape0, W, H) }, meta(), key);
        gesture.current = { kind: "handle", id: selectedRegion.id, ref: { kind: "vertex", index: at }, shape0, key };
        return;
      }
      if (h) {
        gesture.current =
          h.ref.kind === "point"
            ? { kind: "move", id: selectedRegion.id, start: p, shape0: selectedShape, key }
            : { kind: "handle", id: selectedRegion.id, ref: h.ref, shape0: selectedShape, key };
        return;
      }
    }

    const pick = (hit: Region) => {
      if (e.shiftKey) {
        // Shift+click adds a region to the selection (or takes it out): then Delete or a label acts on all.
        const sel = store.state.ui.selected;
        store.select(sel.includes(hit.id) ? sel.filter((id) => id !== hit.id) : [...sel, hit.id]);
        return;
      }
      store.select([hit.id]);
      if (store.state.ui.drawn) store.setUi({ drawn: null }); // picked now, not just drawn
      const shape = regionShape(hit, W, H);
      if (shape && !locked.has(hit.id)) gesture.current = { kind: "move", id: hit.id, start: p, shape0: shape, key };
    };

    if (!DRAW_TOOLS.includes(tool)) {
      const hit = hitRegion(regions, hidden, p, t.scale, W, H);
      if (hit) pick(hit);
      else {
        store.select([]);
        gesture.current = { kind: "pan", start: screen, t0: t };
      }
      return;
    }

    // With a drawing tool, a press on a region picks it and a drag moves it, as in Label Studio and CVAT;
    // drawing starts on empty canvas, or anywhere with Ctrl (Cmd) held. A brush paints over regions by nature,
    // a polygon being drawn takes every click as its next point, and the keypoint tool only picks keypoints
    // (points are placed on things, often inside a box).
    if (tool !== "brush" && tool !== "eraser" && !poly.current && !(e.ctrlKey || e.metaKey)) {
      const candidates = tool === "keypoint" ? regions.filter((r) => r.shape === "keypoint") : regions;
      const hit = hitRegion(candidates, hidden, p, t.scale, W, H);
      if (hit) {
        pick(hit);
        return;
      }
    }

    if (!inside) return;
    const q = clampPoint(p, W, H);
    const shape: ShapeType = tool === "eraser" ? "brush" : (tool as ShapeType);
    if (!shapes.includes(shape)) return;
    switch (tool) {
      case "rectangle":
      case "ellipse":
        gesture.current = { kind: tool === "rectangle" ? "rect" : "ellipse", start: q, cur: q };
        return;
      case "keypoint": {
        const control = config.controls.find((c) => c.shape === "keypoint" && c.toName.includes(name));
        const size = Number(control?.node.attrs.strokewidth ?? 1) || 1;
        create("keypoint", valueFromShape({ kind: "keypoint", x: q.x, y: q.y, size }, W, H));
        return;
      }
      case "polygon": {
        const pts = poly.current ?? [];
        if (pts.length >= 3) {
          const first = toScreen(t, { x: pts[0][0], y: pts[0][1] });
          if (Math.hypot(first.x - screen.x, first.y - screen.y) <= CLOSE_PX) {
            closePolygon();
            return;
          }
        }
        if (!pts.length && !newRegionParts(config, name, "polygon", store.state.ui.activeLabels)) {
          askForLabel("polygon");
          return;
        }
        setPoly([...pts, [q.x, q.y]], q);
        return;
      }
      case "brush":
      case "eraser":
        startBrush(q, tool);
        return;
    }
  };

  const onPointerMove = (e: React.PointerEvent) => {
    if (!t || !W) return;
    const screen = local(e);
    const p = toImage(t, screen);
    const { tool, brushSize } = store.state.ui;
    if (tool === "brush" || tool === "eraser") patch({ cursor: screen });
    const g = gesture.current;
    if (!g) {
      if (poly.current) setPoly(poly.current, clampPoint(p, W, H));
      return;
    }
    switch (g.kind) {
      case "pan":
        onPan();
        setT({ ...g.t0, tx: g.t0.tx + screen.x - g.start.x, ty: g.t0.ty + screen.y - g.start.y });
        return;
      case "move": {
        const [dx, dy] = clampTranslation(g.shape0, p.x - g.start.x, p.y - g.start.y, W, H);
        store.updateRegion(g.id, { geometry: valueFromShape(translate(g.shape0, dx, dy), W, H) }, meta(), g.key);
        return;
      }
      case "handle": {
        const q = clampPoint(p, W, H);
        const s = g.shape0;
        const snap = e.shiftKey ? 15 : 0;
        let next: Shape = s;
        if (s.kind === "rectangle")
          next =
            g.ref.kind === "rotate"
              ? rotateRectTo(s, p, snap)
              : g.ref.kind === "resize"
                ? resizeRect(s, g.ref.handle, q)
                : s;
        else if (s.kind === "ellipse")
          next =
            g.ref.kind === "rotate"
              ? rotateEllipseTo(s, p, snap)
              : g.ref.kind === "resize"
                ? resizeEllipse(s, g.ref.handle, q)
                : s;
        else if (s.kind === "polygon" && g.ref.kind === "vertex") {
          const index = g.ref.index;
          next = { ...s, points: s.points.map((pt, i) => (i === index ? ([q.x, q.y] as [number, number]) : pt)) };
        }
        store.updateRegion(g.id, { geometry: valueFromShape(next, W, H) }, meta(), g.key);
        return;
      }
      case "rect":
      case "ellipse":
        g.cur = clampPoint(p, W, H);
        patch({ drawing: g.kind === "rect" ? rectFromCorners(g.start, g.cur) : ellipseFrom(g.start, g.cur) });
        return;
      case "brush": {
        const q = clampPoint(p, W, H);
        const last = g.points[g.points.length - 1];
        if (Math.hypot(q.x - last[0], q.y - last[1]) * t.scale < 2) return;
        g.points.push([q.x, q.y]);
        patch({ stroke: { points: [...g.points], size: brushSize, erase: g.erase } });
        return;
      }
    }
  };

  const onPointerUp = () => {
    const g = gesture.current;
    gesture.current = null;
    if (!g || !t) return;
    store.seal();
    if (g.kind === "rect" || g.kind === "ellipse") {
      patch({ drawing: null });
      const a = toScreen(t, g.start);
      const b = toScreen(t, g.cur);
      if (Math.abs(a.x - b.x) < MIN_DRAG_PX || Math.abs(a.y - b.y) < MIN_DRAG_PX) return;
      const shape = g.kind === "rect" ? rectFromCorners(g.start, g.cur) : ellipseFrom(g.start, g.cur);
      create(shape.kind, valueFromShape(shape, W, H));
    } else if (g.kind === "brush") {
      patch({ stroke: null });
      const s = { points: g.points, size: store.state.ui.brushSize, erase: g.erase };
      const r = g.regionId ? store.region(g.regionId) : undefined;
      if (r) store.updateRegion(r.id, { strokes: [...(r.strokes ?? []), s] }, meta());
      else if (!g.erase) create("brush", { format: "rle" }, [s]);
    }
  };

  return {
    preview,
    onPointerDown,
    onPointerMove,
    onPointerUp,
    onPointerLeave: () => patch({ cursor: null }),
    closePolygon,
    cancel,
  };
}
