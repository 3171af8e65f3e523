/**
 * The Image tag: the picture under a canvas of regions and an SVG overlay, with zoom, pan and rotation
 * through one Transform, and the drawing tools. Pointer positions become image coordinates at the edge
 * (toImage); everything below works in image pixels and writes percent values through the store.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { resolveValue, type TagNode } from "../config/parse";
import {
  MAX_ZOOM,
  MIN_ZOOM,
  cssMatrix,
  fit,
  fitScale,
  pan,
  rotatedSize,
  toScreen,
  zoomAt,
  type Point,
  type Rotation,
  type Transform,
} from "../geometry/transform";
import { regionColor, shapesOf } from "../regions";
import type { ImageMeta, Region } from "../store/doc";
import { useEditor, useEditorState, type ImageHandle } from "./EditorContext";
import { ImagePager, ImageToolbar } from "./ImageToolbar";
import { Overlay, anchorOf, type OverlayRegion } from "./Overlay";
import { buildLayer, newLayerCache, regionShape, type Layer } from "./regionLayer";
import { DRAW_TOOLS, useImageTools } from "./useImageTools";
import { stats, useLayerCanvas } from "./useLayerCanvas";
import { useRoomBelow } from "../layout/useRoomBelow";

function parseMax(v: string | undefined, container: number): number {
  if (!v) return container;
  const n = parseFloat(v);
  if (v.trim().endsWith("%")) return (container * n) / 100;
  return Number.isFinite(n) ? Math.min(container, n) : container;
}

export function ImageView({ node }: { node: TagNode }) {
  const env = useEditor();
  const { config, data, images, activeImage, sizes } = env;
  const state = useEditorState();
  const name = node.attrs.name;
  const raw = resolveValue(node.attrs.value ?? node.attrs.valuelist, data);
  // valueList: several images in one task, shown one at a time; their regions carry `item_index`.
  const pages = node.attrs.valuelist && Array.isArray(raw) ? raw.length : 0;
  const [page, setPage] = useState(0);
  const src = Array.isArray(raw)
    ? String(raw[pages ? Math.min(page, pages - 1) : 0] ?? "")
    : typeof raw === "string"
      ? raw
      : "";

  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [containerWidth, setContainerWidth] = useState(0);
  const [t, setT] = useState<Transform | null>(null);
  const [rotation, setRotation] = useState<Rotation>(0);
  const [filters, setFilters] = useState({ brightness: 100, contrast: 100 });
  const userZoomed = useRef(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const cache = useMemo(newLayerCache, []);

  // Another image of the list: its own load (or error) decides what is shown.
  useEffect(() => setError(null), [src]);

  const W = natural?.width ?? 0;
  const H = natural?.height ?? 0;
  const maxWidth = parseMax(node.attrs.maxwidth, containerWidth);
  // As tall as leaves the tags below it (and a stacked side column) in the window.
  const maxHeight = useRoomBelow(viewRef);
  const rotated = rotatedSize({ rotation, width: W || 4, height: H || 3 });
  const aspect = rotated.height / rotated.width;
  // As wide as allowed, as tall as the image at that width, but within the window: no empty bands.
  const vh = Math.floor(Math.min(maxHeight, Math.min(containerWidth, maxWidth) * aspect)) || 300;
  const vw = Math.floor(Math.min(containerWidth, maxWidth, vh / aspect));
  const zoomEnabled = node.attrs.zoom !== "false";
  const zoomBy = Number(node.attrs.zoomby) > 1 ? Number(node.attrs.zoomby) : null;
  const gridSize = Number(node.attrs.gridsize) || 30;
  const [crosshair, setCrosshair] = useState<{ x: number; y: number } | null>(null);
  const showCrosshair = node.attrs.crosshair === "true";

  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setContainerWidth(el.clientWidth));
    ro.observe(el);
    setContainerWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // Fit when the image, the viewport or the rotation changes, unless the user has zoomed since.
  useLayoutEffect(() => {
    if (!W || !H || !vw) return;
    setT((old) =>
      old && userZoomed.current && old.rotation === rotation && old.width === W
        ? old
        : fit({ rotation, width: W, height: H }, vw, vh),
    );
  }, [W, H, vw, vh, rotation]);

  const meta = useCallback(
    (): ImageMeta => ({
      original_width: W,
      original_height: H,
      image_rotation: rotation,
      ...(pages ? { item_index: page } : {}),
    }),
    [W, H, rotation, pages, page],
  );

  const regions = useMemo(
    () => state.doc.regions.filter((r) => r.toName === name && (!pages || (r.image?.item_index ?? 0) === page)),
    [state.doc.regions, name, pages, page],
  );
  const { selected, hidden, locked, tool, activeLabels, brushSize, relationFrom } = state.ui;

  // The canvas layer: rebuilt only when the regions it shows change, not while one selected region is dragged.
  const layerInput = useMemo(
    // One selected shape is drawn by the overlay (it moves without redrawing the rest); several picked
    // with Shift stay on the canvas and the overlay only outlines them. Brush masks stay on the canvas,
    // selected or not: the overlay draws no bitmaps.
    () =>
      regions.filter(
        (r) => !hidden.has(r.id) && !(selected.length === 1 && r.id === selected[0] && r.shape !== "brush"),
      ),
    [regions, hidden, selected],
  );
  // Selected brush masks are drawn as such on the canvas, so their ids are part of what the layer shows.
  const selectedBrushes = layerInput
    .filter((r) => r.shape === "brush" && selected.includes(r.id))
    .map((r) => r.id)
    .join("\n");
  const lastInput = useRef<{ list: Region[]; brushes: string; layer: Layer } | null>(null);
  const layer = useMemo(() => {
    const prev = lastInput.current;
    if (
      prev &&
      prev.brushes === selectedBrushes &&
      prev.list.length === layerInput.length &&
      prev.list.every((r, i) => r === layerInput[i])
    )
      return prev.layer;
    if (!W || !H) return null;
    const picked = new Set(selectedBrushes.split("\n"));
    const built = buildLayer(layerInput, (r) => picked.has(r.id), config, W, H, cache);
    lastInput.current = { list: layerInput, brushes: selectedBrushes, layer: built };
    return built;
  }, [layerInput, selectedBrushes, config, W, H, cache]);

  useLayerCanvas(canvasRef, layer, t, vw, vh);

  // ---- view changes -------------------------------------------------------------------------------------
  const zoom = useCallback(
    (factor: number, at?: Point) => {
      if (!zoomEnabled) return;
      userZoomed.current = true;
      setT((old) => {
        if (!old) return old;
        const min = Math.min(MIN_ZOOM, fitScale(old, vw, vh));
        return zoomAt(old, factor, at ?? { x: vw / 2, y: vh / 2 }, min, MAX_ZOOM);
      });
    },
    [vw, vh, zoomEnabled],
  );

  const handle = useMemo<ImageHandle>(
    () => ({
      // zoomBy: the config's own step for the zoom buttons and keys (Label Studio's attribute).
      zoom: (f) => zoom(zoomBy ? (f > 1 ? zoomBy : 1 / zoomBy) : f),
      fit: () => {
        userZoomed.current = false;
        if (W && H) setT(fit({ rotation, width: W, height: H }, vw, vh));
      },
      rotate: (delta) => {
        userZoomed.current = false;
        setRotation((r) => ((((r + delta) % 360) + 360) % 360) as Rotation);
      },
      pan: (dx, dy) => {
        userZoomed.current = true;
        setT((old) => old && pan(old, dx, dy));
      },
      closePolygon: () => toolsRef.current?.closePolygon() ?? false,
      cancel: () => toolsRef.current?.cancel() ?? false,
    }),
    [zoom, W, H, rotation, vw, vh],
  );

  useEffect(() => {
    images.set(name, handle);
    if (!activeImage.current) activeImage.current = name;
    return () => {
      if (images.get(name) === handle) images.delete(name);
    };
  }, [images, name, handle, activeImage]);

  useEffect(() => {
    if (natural) sizes.set(name, natural);
  }, [natural, sizes, name]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = viewRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!zoomEnabled) return;
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
      zoom(Math.exp(-e.deltaY * unit * 0.0015), { x: e.clientX - r.left, y: e.clientY - r.top });
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [zoom, zoomEnabled]);

  const shapes = useMemo(() => shapesOf(config, name), [config, name]);
  const tools = useImageTools({
    env,
    name,
    W,
    H,
    t,
    setT,
    meta,
    regions,
    shapes,
    viewRef,
    onPan: () => (userZoomed.current = true),
  });
  const toolsRef = useRef(tools);
  toolsRef.current = tools;
  const { preview } = tools;
  // A hidden region picked in the region list stays selected there, but the image shows no trace of it.
  const selectedRegion =
    selected.length === 1 && !hidden.has(selected[0]) ? regions.find((r) => r.id === selected[0]) : undefined;
  const selectedShape = selectedRegion && W ? regionShape(selectedRegion, W, H) : null;

  // ---- overlay data -------------------------------------------------------------------------------------
  const overlaySelected: OverlayRegion[] = selectedRegion
    ? [
        {
          id: selectedRegion.id,
          shape: selectedShape,
          color: regionColor(selectedRegion, config),
          locked: locked.has(selectedRegion.id),
        },
      ]
    : W
      ? regions
          .filter((r) => selected.includes(r.id) && !hidden.has(r.id))
          // No handles while several are picked: a drag would not say which one it means.
          .map((r) => ({ id: r.id, shape: regionShape(r, W, H), color: regionColor(r, config), locked: true }))
      : [];
  const drawingColor = useMemo(() => {
    for (const c of config.controls) {
      const v = activeLabels[c.name]?.[0];
      if (v && c.toName.includes(name)) return c.labels.find((l) => l.value === v)?.background ?? "#f59e0b";
    }
    return "#f59e0b";
  }, [config, activeLabels, name]);

  const relations = useMemo(() => {
    if (!t || !W) return [];
    const byId = new Map(regions.map((r) => [r.id, r]));
    const centre = { x: W / 2, y: H / 2 };
    return state.doc.relations
      .filter((rel) => byId.has(rel.fromId) && byId.has(rel.toId) && !hidden.has(rel.fromId) && !hidden.has(rel.toId))
      .map((rel) => ({
        from: toScreen(t, anchorOf(regionShape(byId.get(rel.fromId)!, W, H), centre)),
        to: toScreen(t, anchorOf(regionShape(byId.get(rel.toId)!, W, H), centre)),
        label: rel.labels.join(", "),
        bi: rel.direction === "bi",
        left: rel.direction === "left",
      }));
  }, [state.doc.relations, regions, hidden, t, W, H]);
  const relationAnchor = useMemo(() => {
    const r = relationFrom ? regions.find((x) => x.id === relationFrom) : undefined;
    return r && t && W ? toScreen(t, anchorOf(regionShape(r, W, H), { x: W / 2, y: H / 2 })) : null;
  }, [relationFrom, regions, t, W, H]);

  const onLoad = (e: React.SyntheticEvent<HTMLImageElement>) => {
    const img = e.currentTarget;
    setNatural({ width: img.naturalWidth, height: img.naturalHeight });
    setError(null);
    requestAnimationFrame(() => stats().shown.push(performance.now()));
  };

  // A broken <img> says nothing about why; for our own URLs the server's answer does ("moved or deleted").
  const onImageError = async () => {
    setError("load");
    if (!src || !src.startsWith("/")) return;
    try {
      // check=1: a bucket link then answers with LabelHive's reason instead of redirecting to the provider.
      const r = await fetch(`${src}${src.includes("?") ? "&" : "?"}check=1`, { credentials: "same-origin" });
      const body = r.ok ? null : await r.json().catch(() => null);
      if (body && typeof body.detail === "string") setError(body.detail);
    } catch {
      // the generic message stays
    }
  };

  const cursor = (tool === "brush" || tool === "eraser") && preview.cursor && t ? preview.cursor : null;
  const cursorClass = tool === "pan" ? "grab" : DRAW_TOOLS.includes(tool) ? "crosshair" : "default";

  return (
    <div className="image-tag" ref={wrapRef} data-testid={`image-${name}`}>
      <ImageToolbar
        node={node}
        tools={shapes}
        handle={handle}
        filters={filters}
        onFilters={setFilters}
        zoom={t ? t.scale : 1}
        width={vw}
      />
      {pages > 1 && (
        <ImagePager
          page={page}
          pages={pages}
          onPage={(next) => {
            env.store.select([]); // a region of the image left behind cannot stay selected
            setPage(next);
          }}
        />
      )}
      {!src ? (
        <div className="image-error" role="alert">
          No image: the task has no value for <code>{node.attrs.value ?? node.attrs.valuelist}</code>.
        </div>
      ) : error ? (
        <div className="image-error" role="alert" data-testid="image-error">
          Could not load the image <code>{src}</code>.{" "}
          {error === "load" ? "Check that the URL is reachable from this browser." : `The server says: ${error}`} You
          can still skip the task.
        </div>
      ) : null}
      {src && !error && (
        <div
          ref={viewRef}
          className={`image-view cursor-${cursorClass}`}
          data-transform={t ? JSON.stringify(t) : undefined}
          style={{ width: vw || "100%", height: vh }}
          onPointerDown={tools.onPointerDown}
          onPointerMove={(e) => {
            if (showCrosshair) {
              const box = e.currentTarget.getBoundingClientRect();
              setCrosshair({ x: e.clientX - box.left, y: e.clientY - box.top });
            }
            tools.onPointerMove(e);
          }}
          onPointerUp={tools.onPointerUp}
          onPointerCancel={tools.onPointerUp}
          onPointerLeave={() => {
            setCrosshair(null);
            tools.onPointerLeave();
          }}
          onDoubleClick={() => tools.closePolygon()}
          onContextMenu={(e) => e.preventDefault()}
        >
          <img
            src={src}
            alt=""
            draggable={false}
            onLoad={onLoad}
            onError={onImageError}
            style={{
              width: W || undefined,
              height: H || undefined,
              transform: t ? cssMatrix(t) : undefined,
              visibility: t ? "visible" : "hidden",
              filter: `brightness(${filters.brightness}%) contrast(${filters.contrast}%)`,
            }}
          />
          <canvas ref={canvasRef} />
          {t && (
            <Overlay
              width={vw}
              height={vh}
              t={t}
              selected={overlaySelected}
              drawing={preview.drawing}
              drawingColor={drawingColor}
              polygon={preview.polygon}
              stroke={preview.stroke}
              cursor={cursor ? { x: cursor.x, y: cursor.y, r: (brushSize * t.scale) / 2 } : null}
              relations={relations}
              relationFrom={relationAnchor}
              grid={
                node.attrs.grid === "true" && W
                  ? { size: gridSize, color: node.attrs.gridcolor || "#ffffff", width: W, height: H }
                  : null
              }
              crosshair={showCrosshair ? crosshair : null}
            />
          )}
          {!natural && <div className="image-loading">Loading image…</div>}
        </div>
      )}
    </div>
  );
}
