/** Renders a parsed config's tag tree for one task: layout tags, objects and controls. */
import { createElement, type ReactNode } from "react";
import { interpolate, styleObject, type ParsedConfig, type TagNode } from "../config/parse";
import type { EditorState } from "../store/store";
import { ChoicesControl, LabelsControl, NumberControl, RatingControl, TextAreaControl } from "./controls";
import { useEditor, useEditorState } from "./EditorContext";
import { HyperTextView } from "./HyperTextView";
import { ImageView } from "./ImageView";
import { AudioView } from "../media/AudioView";
import { VideoView } from "../media/VideoView";
import { ParagraphsView } from "./ParagraphsView";
import { PairwiseControl } from "./Pairwise";
import { ListView, RankerControl } from "./Ranker";
import { TaxonomyControl } from "./Taxonomy";
import { TextView } from "./TextView";

/** Label Studio's `visibleWhen` (the common cases): region-selected, no-region-selected, choice-(un)selected. */
export function isVisible(node: TagNode, state: EditorState, config: ParsedConfig): boolean {
  const a = node.attrs;
  const control = a.name ? config.controlByName.get(a.name) : undefined;
  const selected = state.ui.selected;
  if (control?.perRegion && control.kind === "classification" && !selected.length) return false;
  switch (a.visiblewhen) {
    case "region-selected": {
      if (!selected.length) return false;
      if (!a.whentagname) return true;
      const r = state.doc.regions.find((x) => x.id === selected[0]);
      return !!r && r.parts.some((p) => p.fromName === a.whentagname);
    }
    case "no-region-selected":
      return selected.length === 0;
    case "choice-selected":
    case "choice-unselected": {
      const wanted = (a.whenchoicevalue ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const chosen = state.doc.classifications
        .filter((c) => !a.whentagname || c.fromName === a.whentagname)
        .flatMap((c) => (Array.isArray(c.payload) ? c.payload.map(String) : []));
      const on = wanted.length ? wanted.some((w) => chosen.includes(w)) : chosen.length > 0;
      return a.visiblewhen === "choice-selected" ? on : !on;
    }
    default:
      return true;
  }
}

function Tag({ node }: { node: TagNode }): ReactNode {
  const { config, data } = useEditor();
  const state = useEditorState();
  if (!isVisible(node, state, config)) return null;
  const a = node.attrs;
  const children = node.children.map((c) => <Tag key={c.key} node={c} />);
  const control = a.name ? config.controlByName.get(a.name) : undefined;
  switch (node.tag) {
    case "View":
      return (
        <div className={`lh-view${a.classname ? ` ${a.classname}` : ""}`} style={styleObject(a.style)}>
          {children}
        </div>
      );
    case "Header": {
      const size = Math.min(6, Math.max(1, Number(a.size ?? 4) || 4));
      return createElement(
        `h${size}`,
        { className: "lh-header", style: styleObject(a.style) },
        interpolate(a.value ?? node.text, data),
      );
    }
    case "Style":
      return <style>{node.text}</style>;
    case "Image":
      return <ImageView node={node} />;
    case "Text":
      return <TextView node={node} />;
    case "HyperText":
      return <HyperTextView node={node} />;
    case "Paragraphs":
      return <ParagraphsView node={node} />;
    case "Taxonomy":
      return control ? <TaxonomyControl control={control} /> : null;
    case "Pairwise":
      return control ? <PairwiseControl control={control} /> : null;
    case "List":
      return <ListView node={node} />;
    case "Ranker":
      return control ? <RankerControl control={control} /> : null;
    case "Choices":
      return control ? <ChoicesControl control={control} /> : null;
    case "TextArea":
      return control ? <TextAreaControl control={control} /> : null;
    case "Rating":
      return control ? <RatingControl control={control} /> : null;
    case "Number":
      return control ? <NumberControl control={control} /> : null;
    case "Audio":
      return <AudioView node={node} />;
    case "Video":
      return <VideoView node={node} />;
    case "TimelineLabels":
      return control ? <LabelsControl control={control} /> : null;
    case "VideoRectangle":
      return null;
    case "Labels":
    case "HyperTextLabels":
    case "ParagraphLabels":
    case "RectangleLabels":
    case "PolygonLabels":
    case "KeyPointLabels":
    case "EllipseLabels":
    case "BrushLabels":
      return control ? <LabelsControl control={control} /> : null;
    case "Rectangle":
    case "Polygon":
    case "KeyPoint":
    case "Ellipse":
    case "Brush":
    case "Relations":
    case "Relation":
    case "Label":
    case "Choice":
    case "Bucket":
      return null;
    default:
      return (
        <div className="unsupported" role="alert" data-testid="unsupported-tag">
          This editor does not support the <code>&lt;{node.tag}&gt;</code> tag yet; it is left out.
        </div>
      );
  }
}

/** The config's tag tree, or the part of it given (the side panel's tags, the root without them). */
export function ConfigView({ node }: { node?: TagNode }) {
  const { config } = useEditor();
  return <Tag node={node ?? config.root} />;
}

/** Several top-level tags of the config, each as ConfigView renders it. */
export function ConfigTags({ nodes }: { nodes: TagNode[] }) {
  return (
    <>
      {nodes.map((n) => (
        <Tag key={n.key} node={n} />
      ))}
    </>
  );
}
