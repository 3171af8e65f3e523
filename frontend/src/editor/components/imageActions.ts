/**
 * Keyboard actions on regions, tools and the active image (delete, unselect, zoom, rotate, pan, pick a
 * tool, brush size, hide, lock, relate): what TaskEditor runs for every action that is not about the
 * task as a whole (submit, skip, undo, help) or a span or a player.
 */
import type { ParsedConfig } from "../config/parse";
import type { Action } from "../hotkeys";
import type { EditorStore, ToolName } from "../store/store";
import type { ImageHandle } from "./EditorContext";

const PAN_STEP = 60;

/** True when the action did something (the key is then consumed). */
export function runImageAction(
  store: EditorStore,
  config: ParsedConfig,
  img: ImageHandle | undefined,
  action: Action,
): boolean {
  const sel = store.state.ui.selected;
  const tool = (t: ToolName) => (hasTool(config, t) ? (store.setUi({ tool: t }), true) : false);
  switch (action) {
    case "deleteRegion":
      if (!sel.length) return false;
      store.deleteRegions(sel);
      return true;
    case "unselect":
      if (img?.cancel()) return true;
      if (store.state.ui.relationFrom) store.setUi({ relationFrom: null });
      else store.select([]);
      return true;
    case "closePolygon":
      return !!img?.closePolygon();
    case "zoomIn":
      img?.zoom(1.25);
      return !!img;
    case "zoomOut":
      img?.zoom(0.8);
      return !!img;
    case "zoomFit":
      img?.fit();
      return !!img;
    case "rotateRight":
      img?.rotate(90);
      return !!img;
    case "rotateLeft":
      img?.rotate(-90);
      return !!img;
    case "panLeft":
      img?.pan(PAN_STEP, 0);
      return !!img;
    case "panRight":
      img?.pan(-PAN_STEP, 0);
      return !!img;
    case "panUp":
      img?.pan(0, PAN_STEP);
      return !!img;
    case "panDown":
      img?.pan(0, -PAN_STEP);
      return !!img;
    case "toolSelect":
      return tool("select");
    case "toolPan":
      return tool("pan");
    case "toolRectangle":
      return tool("rectangle");
    case "toolPolygon":
      return tool("polygon");
    case "toolEllipse":
      return tool("ellipse");
    case "toolKeypoint":
      return tool("keypoint");
    case "toolBrush":
      return tool("brush");
    case "toolEraser":
      return tool("eraser");
    case "brushSmaller":
      if (!hasTool(config, "brush")) return false;
      store.setUi({ brushSize: Math.max(1, Math.round(store.state.ui.brushSize / 1.25)) });
      return true;
    case "brushBigger":
      if (!hasTool(config, "brush")) return false;
      store.setUi({ brushSize: Math.min(200, Math.round(store.state.ui.brushSize * 1.25) || 1) });
      return true;
    case "hideRegion":
      sel.forEach((id) => store.toggleHidden(id));
      return sel.length > 0;
    case "lockRegion":
      sel.forEach((id) => store.toggleLocked(id));
      return sel.length > 0;
    case "relation":
      if (sel.length !== 1) return false;
      store.setUi({ relationFrom: sel[0] });
      return true;
    default:
      return false;
  }
}

const TOOL_SHAPE: Partial<Record<ToolName, string>> = {
  rectangle: "rectangle",
  polygon: "polygon",
  ellipse: "ellipse",
  keypoint: "keypoint",
  brush: "brush",
  eraser: "brush",
};

export function hasTool(config: ParsedConfig, tool: ToolName): boolean {
  if (tool === "select" || tool === "pan") return config.objects.some((o) => o.tag === "Image");
  return config.controls.some((c) => c.shape === TOOL_SHAPE[tool]);
}

/** A config with a single shape starts with its tool, as Label Studio does. */
export function defaultTool(config: ParsedConfig): ToolName {
  const shapes = [...new Set(config.controls.map((c) => c.shape).filter(Boolean))];
  return shapes.length === 1 ? (shapes[0] as ToolName) : "select";
}
