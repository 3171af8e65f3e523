import { describe, expect, it } from "vitest";
import { boxAt, framesOf, lifespans, removeKeyframe, setBoxAt, toggleLifespan, type Keyframe } from "./interpolate";
import { MAX_BUCKETS, bucketCount, computePeaks, peakBetween } from "./peaks";
import {
  followTime,
  formatTime,
  frameAt,
  framesCountOf,
  parseFramerate,
  seekTimeOfFrame,
  timeAtX,
  timeOfFrame,
  xAtTime,
  zoomAxis,
} from "./timeline";

const kf = (frame: number, x: number, enabled = true, extra: Partial<Keyframe> = {}): Keyframe => ({
  frame,
  time: frame / 10,
  x,
  y: 10,
  width: 20,
  height: 30,
  rotation: 0,
  enabled,
  ...extra,
});

describe("time and frames (Label Studio's convention)", () => {
  it("frame = round(time * fps), clamped to 1..framesCount", () => {
    expect(frameAt(0, 24, 100)).toBe(1);
    expect(frameAt(1, 24, 100)).toBe(24);
    expect(frameAt(1.02, 24, 100)).toBe(24);
    expect(frameAt(1.03, 24, 100)).toBe(25);
    expect(frameAt(99, 24, 100)).toBe(100);
  });

  it("framesCount = ceil(duration * fps) without float noise", () => {
    expect(framesCountOf(3, 10)).toBe(30);
    expect(framesCountOf(3.0000000001, 10)).toBe(30);
    expect(framesCountOf(3.05, 10)).toBe(31);
    expect(framesCountOf(5.425, 24)).toBe(131);
    expect(framesCountOf(NaN, 24)).toBe(1);
  });

  it("a frame's time is frame / fps; seeking lands inside the frame and maps back to it", () => {
    expect(timeOfFrame(12, 24)).toBe(0.5);
    for (const fps of [10, 24, 25, 29.97, 60])
      for (let f = 1; f < 200; f++) expect(frameAt(seekTimeOfFrame(f, fps, 1e9), fps, 1e9)).toBe(f);
    expect(seekTimeOfFrame(30, 10, 3)).toBeCloseTo(2.999);
  });

  it("framerate attribute: default 24, fractions as 1/x", () => {
    expect(parseFramerate(undefined)).toBe(24);
    expect(parseFramerate("abc")).toBe(24);
    expect(parseFramerate("29.97")).toBe(29.97);
    expect(parseFramerate("0.5")).toBe(2);
  });

  it("formats times", () => {
    expect(formatTime(0)).toBe("0:00.000");
    expect(formatTime(75.25)).toBe("1:15.250");
    expect(formatTime(3723.5)).toBe("1:02:03.500");
  });

  it("time axis: pixels <-> seconds, zoom about a point, follow the playhead", () => {
    const axis = { pxPerSec: 100, scroll: 50, duration: 10 };
    expect(timeAtX(axis, 150)).toBe(2);
    expect(xAtTime(axis, 2)).toBe(150);
    expect(timeAtX(axis, 5000)).toBe(10);
    const z = zoomAxis(axis, 2, 150, 500);
    expect(z.pxPerSec).toBe(200);
    expect(timeAtX(z, 150)).toBeCloseTo(2);
    // Never zooms out past the whole file in view.
    expect(zoomAxis(axis, 0.001, 0, 500).pxPerSec).toBe(50);
    expect(followTime(axis, 9, 500).scroll).toBe(500);
    expect(followTime(axis, 2, 500)).toBe(axis);
  });
});

describe("VideoRectangle interpolation", () => {
  it("interpolates linearly between keyframes and holds after the last enabled one", () => {
    const seq = [kf(1, 0), kf(11, 50, true, { width: 40 })];
    expect(boxAt(seq, 1)).toEqual({ x: 0, y: 10, width: 20, height: 30, rotation: 0 });
    expect(boxAt(seq, 6)).toEqual({ x: 25, y: 10, width: 30, height: 30, rotation: 0 });
    expect(boxAt(seq, 11)?.x).toBe(50);
    expect(boxAt(seq, 25)).toEqual({ x: 50, y: 10, width: 40, height: 30, rotation: 0 });
  });

  it("has no box before the first keyframe", () => {
    expect(boxAt([kf(5, 0)], 4)).toBeNull();
    expect(boxAt([], 1)).toBeNull();
  });

  it("a disabled keyframe ends a segment: shown on its frame, not after, until the next keyframe", () => {
    const seq = [kf(1, 0), kf(5, 40, false), kf(9, 80), kf(13, 40)];
    const frames = framesOf(seq, 15);
    expect(frames.map((f) => f.frame)).toEqual([1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14, 15]);
    expect(frames.map((f) => f.box.x)).toEqual([0, 10, 20, 30, 40, 80, 70, 60, 50, 40, 40, 40]);
    expect(lifespans(seq, 15)).toEqual([
      { start: 1, end: 5 },
      { start: 9, end: 15 },
    ]);
  });

  it("a disabled last keyframe ends the track", () => {
    const seq = [kf(2, 10), kf(4, 30, false)];
    expect(framesOf(seq, 10).map((f) => [f.frame, f.box.x])).toEqual([
      [2, 10],
      [3, 20],
      [4, 30],
    ]);
  });

  it("editing: set a box on a frame, remove a keyframe, toggle the lifespan", () => {
    const box = { x: 30, y: 10, width: 20, height: 30, rotation: 0 };
    let seq = setBoxAt([kf(1, 0), kf(11, 50)], 6, box, 0.6);
    expect(seq.map((k) => [k.frame, k.x, k.enabled])).toEqual([
      [1, 0, true],
      [6, 30, true],
      [11, 50, true],
    ]);
    expect(setBoxAt(seq, 6, { ...box, x: 31 }, 0.6)[1]).toMatchObject({ frame: 6, x: 31, time: 0.6 });
    seq = toggleLifespan(seq, 8, 0.8);
    expect(seq.map((k) => [k.frame, k.enabled])).toEqual([
      [1, true],
      [6, true],
      [8, false],
      [11, true],
    ]);
    expect(boxAt(seq, 8)?.x).toBeCloseTo(38);
    expect(boxAt(seq, 9)).toBeNull();
    expect(toggleLifespan(seq, 8, 0.8)[2].enabled).toBe(true);
    expect(removeKeyframe(seq, 6).map((k) => k.frame)).toEqual([1, 8, 11]);
    // Boxes after a disabled keyframe start a new lifespan as disabled ones, as in Label Studio.
    const after = setBoxAt([kf(1, 0, false)], 4, box, 0.4);
    expect(after[1].enabled).toBe(false);
  });
});

describe("waveform peaks", () => {
  it("min/max per bucket over all channels", () => {
    const rate = 1000;
    const a = new Float32Array(2000);
    const b = new Float32Array(2000);
    a[5] = 0.5;
    b[7] = -0.25;
    a[1500] = -1;
    const p = computePeaks([a, b], rate);
    expect(p.duration).toBe(2);
    expect(p.data.length).toBe(400);
    expect([p.data[0], p.data[1]]).toEqual([-0.25, 0.5]);
    expect(peakBetween(p, 1.4, 1.6)).toEqual([-1, 0]);
    expect(peakBetween(p, 0.5, 1.0)).toEqual([0, 0]);
  });

  it("an hour stays within the bucket budget", () => {
    expect(bucketCount(3600)).toBe(360_000);
    expect(bucketCount(5 * 3600)).toBe(MAX_BUCKETS);
    const p = computePeaks([new Float32Array(3600 * 8000)], 8000);
    expect(p.data.length).toBe(720_000);
    expect(p.bucketSeconds).toBeCloseTo(0.01);
  });
});
