/** The keyboard's audio and video actions, run on the player used last. */
import type { Action, MediaAction } from "../hotkeys";
import type { MediaHandle } from "../components/EditorContext";

const MEDIA_ACTIONS = new Set<Action>([
  "mediaPlay",
  "mediaBack",
  "mediaForward",
  "mediaBackMore",
  "mediaForwardMore",
  "mediaSlower",
  "mediaFaster",
  "mediaZoomIn",
  "mediaZoomOut",
]);

export function isMediaAction(action: Action): action is MediaAction {
  return MEDIA_ACTIONS.has(action);
}

/** The player used last: players move themselves to the end of the map when used. */
export function activeMedia(media: Map<string, MediaHandle>): MediaHandle | undefined {
  return [...media.values()].pop();
}

/** Runs a media action; false when there is no player (so the key does its default). */
export function runMediaAction(media: Map<string, MediaHandle>, action: MediaAction): boolean {
  const m = activeMedia(media);
  if (!m) return false;
  switch (action) {
    case "mediaPlay":
      m.togglePlay();
      return true;
    case "mediaBack":
    case "mediaForward":
    case "mediaBackMore":
    case "mediaForwardMore":
      m.step(action.includes("Back") ? -1 : 1, action.endsWith("More"));
      return true;
    case "mediaSlower":
      m.speed(-1);
      return true;
    case "mediaFaster":
      m.speed(1);
      return true;
    case "mediaZoomIn":
      return m.zoom(1.5);
    case "mediaZoomOut":
      return m.zoom(1 / 1.5);
  }
}
