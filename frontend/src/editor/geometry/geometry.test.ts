import { describe, expect, it } from "vitest";
import {
  bbox,
  clampTranslation,
  hitTest,
  rectCorners,
  rectFromCorners,
  resizeRect,
  rotateRectTo,
  shapeFromValue,
  valueFromShape,
  type RectShape,
} from "./shapes";
import { fit, matrix, rotate, toImage, toScreen, zoomAt, type Transform } from "./transform";

const close = (a: { x: number; y: number }, b: { x: number; y: number }) => {
  expect(a.x).toBeCloseTo(b.x, 6);
  expect(a.y).toBeCloseTo(b.y, 6);
};

describe("Transform", () => {
  const base: Transform = { scale: 2, tx: 10, ty: 20, rotation: 0, width: 400, height: 300 };

  it("round-trips screen <-> image at every rotation", () => {
    for (const rotation of [0, 90, 180, 270] as const) {
      const t = { ...base, rotation };
      for (const p of [
        { x: 0, y: 0 },
        { x: 400, y: 300 },
        { x: 123.5, y: 7 },
      ])
        close(toImage(t, toScreen(t, p)), p);
    }
  });

  it("keeps the rotated image in the positive quadrant", () => {
    const t = { ...base, tx: 0, ty: 0, scale: 1 };
    close(toScreen({ ...t, rotation: 90 }, { x: 0, y: 0 }), { x: 300, y: 0 });
    close(toScreen({ ...t, rotation: 90 }, { x: 0, y: 300 }), { x: 0, y: 0 });
    close(toScreen({ ...t, rotation: 180 }, { x: 0, y: 0 }), { x: 400, y: 300 });
    close(toScreen({ ...t, rotation: 270 }, { x: 0, y: 0 }), { x: 0, y: 400 });
    expect(matrix({ ...t, rotation: 0 })).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it("fits and centres, sideways too", () => {
    const t = fit({ rotation: 0, width: 400, height: 300 }, 800, 800);
    expect(t.scale).toBe(2);
    expect(t.ty).toBe(100);
    const s = fit({ rotation: 90, width: 400, height: 300 }, 300, 400);
    expect(s.scale).toBe(1);
    close(toScreen(s, { x: 0, y: 300 }), { x: 0, y: 0 });
  });

  it("zooms about the cursor", () => {
    const at = { x: 50, y: 70 };
    const before = toImage(base, at);
    const z = zoomAt(base, 1.5, at);
    expect(z.scale).toBe(3);
    close(toImage(z, at), before);
  });

  it("rotates the view about the viewport centre", () => {
    const t = fit({ rotation: 0, width: 400, height: 300 }, 400, 400);
    const centre = toImage(t, { x: 200, y: 200 });
    const r = rotate(t, 90, 400, 400);
    expect(r.rotation).toBe(90);
    close(toImage(r, { x: 200, y: 200 }), centre);
    expect(rotate(t, -90, 400, 400).rotation).toBe(270);
  });
});

describe("shapes", () => {
  it("converts Label Studio percent values to pixels and back", () => {
    const v = { x: 10, y: 20, width: 30, height: 40, rotation: 15 };
    const s = shapeFromValue("rectangle", v, 200, 100);
    expect(s).toEqual({ kind: "rectangle", x: 20, y: 20, w: 60, h: 40, rotation: 15 });
    expect(valueFromShape(s, 200, 100)).toEqual(v);
    const poly = shapeFromValue(
      "polygon",
      {
        points: [
          [10, 10],
          [50, 10],
          [50, 50],
        ],
      },
      200,
      100,
    );
    expect(valueFromShape(poly, 200, 100)).toEqual({
      points: [
        [10, 10],
        [50, 10],
        [50, 50],
      ],
      closed: true,
    });
    const e = shapeFromValue("ellipse", { x: 50, y: 50, radiusX: 10, radiusY: 20, rotation: 0 }, 200, 100);
    expect(e).toMatchObject({ cx: 100, cy: 50, rx: 20, ry: 20 });
  });

  it("rotates rectangles about the top-left corner, clockwise", () => {
    const r: RectShape = { kind: "rectangle", x: 10, y: 10, w: 20, h: 10, rotation: 90 };
    const [tl, tr, br, bl] = rectCorners(r);
    close(tl, { x: 10, y: 10 });
    close(tr, { x: 10, y: 30 });
    close(br, { x: 0, y: 30 });
    close(bl, { x: 0, y: 10 });
    const b = bbox(r);
    [b.minX, b.minY, b.maxX, b.maxY].forEach((v, i) => expect(v).toBeCloseTo([0, 10, 10, 30][i], 9));
  });

  it("hit-tests rotated rectangles, polygons, ellipses and points", () => {
    const r: RectShape = { kind: "rectangle", x: 10, y: 10, w: 20, h: 10, rotation: 90 };
    expect(hitTest(r, { x: 5, y: 20 })).toBe(true);
    expect(hitTest(r, { x: 20, y: 12 })).toBe(false);
    const p = {
      kind: "polygon" as const,
      points: [
        [0, 0],
        [10, 0],
        [0, 10],
      ] as [number, number][],
      closed: true,
    };
    expect(hitTest(p, { x: 2, y: 2 })).toBe(true);
    expect(hitTest(p, { x: 8, y: 8 })).toBe(false);
    expect(hitTest({ ...p, closed: false }, { x: 2, y: 2 })).toBe(false);
    expect(hitTest({ ...p, closed: false }, { x: 5, y: 0.5 }, 1)).toBe(true);
    const e = { kind: "ellipse" as const, cx: 0, cy: 0, rx: 10, ry: 2, rotation: 90 };
    expect(hitTest(e, { x: 0, y: 9 })).toBe(true);
    expect(hitTest(e, { x: 9, y: 0 })).toBe(false);
    expect(hitTest({ kind: "keypoint", x: 5, y: 5, size: 1 }, { x: 7, y: 5 }, 3)).toBe(true);
  });

  it("resizes a rotated rectangle keeping the opposite corner fixed", () => {
    const r: RectShape = { kind: "rectangle", x: 10, y: 10, w: 20, h: 10, rotation: 30 };
    const fixed = rectCorners(r)[0];
    const out = resizeRect(r, { u: 1, v: 1 }, rectCorners({ ...r, w: 40, h: 30 })[2]);
    expect(out.w).toBeCloseTo(40);
    expect(out.h).toBeCloseTo(30);
    close(rectCorners(out)[0], fixed);
    const flipped = resizeRect({ ...r, rotation: 0 }, { u: -1, v: 0 }, { x: 40, y: 0 });
    expect(flipped).toMatchObject({ x: 30, w: 10, h: 10 });
  });

  it("rotates a rectangle about its centre", () => {
    const r = rectFromCorners({ x: 0, y: 0 }, { x: 20, y: 10 });
    const out = rotateRectTo(r, { x: 30, y: 5 });
    expect(out.rotation).toBeCloseTo(90);
    const c = rectCorners(out);
    close({ x: (c[0].x + c[2].x) / 2, y: (c[0].y + c[2].y) / 2 }, { x: 10, y: 5 });
  });

  it("keeps moved shapes inside the image", () => {
    const r = rectFromCorners({ x: 10, y: 10 }, { x: 20, y: 20 });
    expect(clampTranslation(r, -50, 500, 100, 100)).toEqual([-10, 80]);
  });
});
