/**
 * An <audio> or <video> element as React state: the time (every animation frame while playing, so the playhead
 * moves smoothly), duration, play state, speed, and why it cannot play. The views own the element; this hook
 * only listens to it and drives it.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { clamp } from "./timeline";

export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3];

export interface Player {
  ref: React.RefObject<HTMLMediaElement | null>;
  time: number;
  duration: number;
  playing: boolean;
  rate: number;
  /** Why the file cannot play, for the user; null while it can. */
  error: string | null;
  seek(t: number): void;
  toggle(): void;
  pause(): void;
  setRate(rate: number): void;
  /** Props for the element. */
  events: Partial<React.MediaHTMLAttributes<HTMLMediaElement>>;
}

/** "…/upload/3/ab12-clip.mp4" or "/data/local-files/?d=clips/a.mp4" -> the file's name, for messages. */
export function fileName(src: string): string {
  try {
    const url = new URL(src, "http://x");
    const path = url.searchParams.get("d") ?? url.pathname;
    return decodeURIComponent(path.split("/").filter(Boolean).pop() ?? src);
  } catch {
    return src;
  }
}

/**
 * A media element's error event says nothing useful (Chromium reports a missing file and an unknown codec
 * alike). Asking the server for the first byte tells them apart: an answer means the bytes are there and the
 * browser cannot decode them; an error answer carries the server's reason (deleted, no access).
 */
export async function mediaErrorMessage(src: string): Promise<string> {
  const name = fileName(src);
  const unsupported = `This browser cannot play ${name}: unsupported format or codec.`;
  if (!src.startsWith("/")) return `${unsupported} (Or the URL is not reachable from this browser.)`;
  try {
    const r = await fetch(src, { headers: { Range: "bytes=0-0" }, credentials: "same-origin" });
    if (r.ok) return unsupported;
    const body = await r.json().catch(() => null);
    const reason = body && typeof body.detail === "string" ? body.detail : `HTTP ${r.status}`;
    return `Could not load ${name}. The server says: ${reason}`;
  } catch {
    return `Could not load ${name}: the server did not answer.`;
  }
}

export function usePlayer(src: string): Player {
  const ref = useRef<HTMLMediaElement | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [rate, setRateState] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const probing = useRef(false);

  useEffect(() => {
    setError(null);
    setTime(0);
    setDuration(0);
  }, [src]);

  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    const tick = () => {
      if (ref.current) setTime(ref.current.currentTime);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing]);

  const seek = useCallback((t: number) => {
    const el = ref.current;
    if (!el) return;
    const d = Number.isFinite(el.duration) ? el.duration : Infinity;
    el.currentTime = clamp(t, 0, d);
    // The element reports the new time at once; the picture follows when it has seeked.
    setTime(el.currentTime);
  }, []);

  const toggle = useCallback(() => {
    const el = ref.current;
    if (!el || error) return;
    if (el.paused) void el.play().catch(() => undefined);
    else el.pause();
  }, [error]);

  const pause = useCallback(() => ref.current?.pause(), []);

  const setRate = useCallback((r: number) => {
    if (ref.current) ref.current.playbackRate = r;
    setRateState(r);
  }, []);

  const readDuration = (el: HTMLMediaElement) => {
    if (Number.isFinite(el.duration)) {
      setDuration(el.duration);
      return;
    }
    // Files written by MediaRecorder have no duration until the end is read: seek there once to learn it.
    if (el.duration === Infinity && el.currentTime === 0) {
      probing.current = true;
      el.currentTime = 1e101;
    }
  };

  const events: Player["events"] = {
    onLoadedMetadata: (e) => readDuration(e.currentTarget),
    onDurationChange: (e) => {
      const el = e.currentTarget;
      if (Number.isFinite(el.duration) && el.duration > 0) {
        setDuration(el.duration);
        if (probing.current) el.currentTime = 0;
        probing.current = false;
      }
    },
    onPlay: () => setPlaying(true),
    onPause: (e) => {
      setPlaying(false);
      setTime(e.currentTarget.currentTime);
    },
    onEnded: () => setPlaying(false),
    onSeeked: (e) => setTime(e.currentTarget.currentTime),
    onTimeUpdate: (e) => {
      if (e.currentTarget.paused) setTime(e.currentTarget.currentTime);
    },
    onError: () => {
      setPlaying(false);
      void mediaErrorMessage(src).then(setError);
    },
  };

  return { ref, time, duration, playing, rate, error, seek, toggle, pause, setRate, events };
}

/** The next speed up or down the list. */
export function nextSpeed(rate: number, direction: 1 | -1): number {
  const i = SPEEDS.findIndex((s) => s >= rate - 1e-9);
  const at = i < 0 ? SPEEDS.length - 1 : i;
  return SPEEDS[clamp(at + direction, 0, SPEEDS.length - 1)];
}
