/**
 * The outline of a brush mask: the pixel edges between painted and empty pixels (and the image border),
 * merged into straight runs so a selected mask's outline is a few hundred line segments, not one per pixel.
 * Pure, so it is testable without a canvas; the caller turns the segments into a Path2D.
 */

/** Calls `segment(x1, y1, x2, y2)` for each horizontal or vertical run of edge, in image pixel corners. */
export function maskEdges(
  mask: Uint8Array,
  width: number,
  height: number,
  segment: (x1: number, y1: number, x2: number, y2: number) => void,
): void {
  // Row by row (the mask's order): horizontal runs end within a row; vertical runs stay open across rows,
  // one per column edge, until the edge stops.
  const open = new Int32Array(width + 1).fill(-1);
  for (let y = 0; y <= height; y++) {
    const row = y * width;
    let run = -1;
    for (let x = 0; x <= width; x++) {
      const here = y < height && x < width && mask[row + x] > 0;
      // The edge above pixel (x, y): between it and the pixel over it.
      const top = x < width && here !== (y > 0 && mask[row - width + x] > 0);
      if (top && run < 0) run = x;
      else if (!top && run >= 0) {
        segment(run, y, x, y);
        run = -1;
      }
      // The edge left of pixel (x, y): between it and the pixel before it.
      const left = y < height && here !== (x > 0 && mask[row + x - 1] > 0);
      if (left && open[x] < 0) open[x] = y;
      else if (!left && open[x] >= 0) {
        segment(x, open[x], x, y);
        open[x] = -1;
      }
    }
  }
}
