/**
 * Which tags of a config go in the side panel beside an image instead of below it.
 *
 * Why: a picture scaled to the window's height pushes the choices under the fold, so the answer picked with
 * a key (or the prediction that pre-filled it) cannot be seen. Label Studio and CVAT keep the controls in a
 * column beside the canvas; so do we, for configs that show an Image. Only the root's own controls move
 * (with a Header written right before one of them); a config that lays itself out, with a styled root or
 * nested Views, keeps that layout.
 */
import type { TagNode } from "../config/parse";

const PANEL_TAGS = new Set([
  "Choices",
  "Labels",
  "RectangleLabels",
  "PolygonLabels",
  "KeyPointLabels",
  "EllipseLabels",
  "BrushLabels",
  "TextArea",
  "Rating",
  "Number",
  "Taxonomy",
]);

function showsImage(node: TagNode): boolean {
  return node.tag === "Image" || node.children.some(showsImage);
}

export interface SplitConfig {
  /** The root with the moved tags left out. */
  main: TagNode;
  /** The moved tags, in the order written. */
  side: TagNode[];
}

export function splitForPanel(root: TagNode): SplitConfig {
  // A root with its own style (display: flex...) is a layout its author chose.
  if (!showsImage(root) || root.attrs.style) return { main: root, side: [] };
  const moved = new Set<TagNode>();
  root.children.forEach((child, i) => {
    if (!PANEL_TAGS.has(child.tag)) return;
    moved.add(child);
    const before = root.children[i - 1];
    if (before?.tag === "Header") moved.add(before);
  });
  if (!moved.size) return { main: root, side: [] };
  return {
    main: { ...root, children: root.children.filter((c) => !moved.has(c)) },
    side: root.children.filter((c) => moved.has(c)),
  };
}
