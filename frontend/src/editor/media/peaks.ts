/**
 * Waveform peaks. A decoded file is reduced once to min/max pairs per bucket of samples, at a resolution that
 * keeps an hour-long file cheap (at most MAX_BUCKETS buckets, at least one per 10 ms otherwise); drawing at
 * any zoom then reads only those buckets. Channels are mixed by taking the extremes of all of them.
 */

/** 100 buckets per second for short files; an hour becomes 360k buckets of ~10 ms, well within budget. */
export const BUCKETS_PER_SECOND = 100;
export const MAX_BUCKETS = 400_000;

export interface Peaks {
  /** min, max, min, max, ... in -1..1, one pair per bucket. */
  data: Float32Array;
  /** Seconds per bucket. */
  bucketSeconds: number;
  duration: number;
}

export function bucketCount(duration: number): number {
  return Math.max(1, Math.min(MAX_BUCKETS, Math.ceil(duration * BUCKETS_PER_SECOND)));
}

export function computePeaks(channels: readonly Float32Array[], sampleRate: number): Peaks {
  const length = channels[0]?.length ?? 0;
  const duration = length / sampleRate;
  const buckets = bucketCount(duration);
  const data = new Float32Array(buckets * 2);
  const per = length / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * per);
    const to = Math.max(from + 1, Math.floor((b + 1) * per));
    let lo = 0;
    let hi = 0;
    for (const ch of channels) {
      const end = Math.min(to, ch.length);
      for (let i = from; i < end; i++) {
        const v = ch[i];
        if (v < lo) lo = v;
        else if (v > hi) hi = v;
      }
    }
    data[2 * b] = lo;
    data[2 * b + 1] = hi;
  }
  return { data, bucketSeconds: duration / buckets, duration };
}

/** The min and max over a time range: what one pixel column of the waveform shows. */
export function peakBetween(peaks: Peaks, t0: number, t1: number): [number, number] {
  const n = peaks.data.length / 2;
  if (!n || peaks.bucketSeconds <= 0) return [0, 0];
  const a = Math.max(0, Math.floor(t0 / peaks.bucketSeconds));
  const b = Math.min(n, Math.max(a + 1, Math.ceil(t1 / peaks.bucketSeconds)));
  let lo = 0;
  let hi = 0;
  for (let i = a; i < b; i++) {
    if (peaks.data[2 * i] < lo) lo = peaks.data[2 * i];
    if (peaks.data[2 * i + 1] > hi) hi = peaks.data[2 * i + 1];
  }
  return [lo, hi];
}
