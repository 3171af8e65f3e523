/** The transport bar under audio and video: play, time (and frame), speed, and what each view adds. */
import type { ReactNode } from "react";
import { SPEEDS, type Player } from "./usePlayer";
import { formatTime } from "./timeline";

interface Props {
  player: Player;
  name: string;
  /** Video: the frame shown and how many there are. */
  frame?: { current: number; count: number; step: (direction: 1 | -1) => void };
  children?: ReactNode;
}

export function MediaControls({ player, name, frame, children }: Props) {
  const { playing, time, duration, rate } = player;
  return (
    <div className="media-controls" role="toolbar" aria-label={`${name} player`}>
      {frame && (
        <button
          type="button"
          className="btn small"
          onClick={() => frame.step(-1)}
          title="Previous frame (←)"
          aria-label="Previous frame"
        >
          ◀︎
        </button>
      )}
      <button
        type="button"
        className="btn small primary play"
        onClick={player.toggle}
        title={`${playing ? "Pause" : "Play"} (Space)`}
        aria-label={playing ? "Pause" : "Play"}
        disabled={!!player.error}
      >
        {playing ? "❚❚" : "▶"}
      </button>
      {frame && (
        <button
          type="button"
          className="btn small"
          onClick={() => frame.step(1)}
          title="Next frame (→)"
          aria-label="Next frame"
        >
          ▶︎
        </button>
      )}
      <span className="media-time" data-testid={`${name}-time`}>
        {formatTime(time)} / {formatTime(duration)}
      </span>
      {frame && (
        <span className="media-frame" data-testid={`${name}-frame`}>
          Frame {frame.current} / {frame.count}
        </span>
      )}
      <label className="media-speed" title="Playback speed ([ and ])">
        Speed
        <select value={rate} onChange={(e) => player.setRate(Number(e.target.value))} aria-label="Playback speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      {children}
    </div>
  );
}

/** In place of a player whose task lacks the file: which data key was empty. */
export function NoMedia({ kind, value }: { kind: "audio" | "video"; value: string | undefined }) {
  return (
    <div className="image-error" role="alert">
      No {kind}: the task has no value for <code>{value}</code>.
    </div>
  );
}
