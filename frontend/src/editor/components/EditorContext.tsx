/** What every tag component of one task's editor shares: the store, the parsed config, the task data. */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { ParsedConfig } from "../config/parse";
import type { EditorState, EditorStore } from "../store/store";

/** What the keyboard can do to an image: the editor routes zoom/pan/rotate keys to the active one. */
export interface ImageHandle {
  zoom(factor: number): void;
  fit(): void;
  rotate(delta: 90 | -90): void;
  pan(dx: number, dy: number): void;
  /** Finish the polygon being drawn; false when none is. */
  closePolygon(): boolean;
  /** Drop a shape being drawn; false when none is. */
  cancel(): boolean;
}

/** What the keyboard can do to an audio or video player (see media/keys.ts). */
export interface MediaHandle {
  togglePlay(): void;
  /** One step: a frame of video, a second of audio; `big` goes further. */
  step(direction: 1 | -1, big: boolean): void;
  speed(direction: 1 | -1): void;
  /** Zoom the time axis; false where there is none. */
  zoom(factor: number): boolean;
}

/** What the keyboard can do to a Text object's spans. */
export interface TextHandle {
  /** Move an edge of span `id` one character or word; false when it cannot move. */
  resize(id: string, edge: "start" | "end", dir: 1 | -1, unit: "char" | "word"): boolean;
}

export interface EditorEnv {
  store: EditorStore;
  config: ParsedConfig;
  data: Record<string, unknown>;
  images: Map<string, ImageHandle>;
  activeImage: { current: string | null };
  /** Audio and video players by object name; the last one used is last. */
  media: Map<string, MediaHandle>;
  /** Text objects by name, for resizing their spans from the keyboard. */
  texts: Map<string, TextHandle>;
  /** Natural sizes of loaded images by object name (for new regions' original_width/height). */
  sizes: Map<string, { width: number; height: number }>;
  /** Shows a short message in the task bar for a few seconds; an empty text takes it down sooner. */
  hint: (text: string) => void;
  /** Validation messages by control name (required controls left empty on submit). */
  errors: Readonly<Record<string, string>>;
}

/** A fresh environment for one task (or one preview) shown with `store`. */
export function newEditorEnv(
  store: EditorStore,
  config: ParsedConfig,
  data: Record<string, unknown>,
  hint: (text: string) => void,
): EditorEnv {
  return {
    store,
    config,
    data,
    images: new Map<string, ImageHandle>(),
    media: new Map<string, MediaHandle>(),
    texts: new Map(),
    activeImage: { current: null },
    sizes: new Map(),
    hint,
    errors: {},
  };
}

export const EditorContext = createContext<EditorEnv | null>(null);

export function useEditor(): EditorEnv {
  const env = useContext(EditorContext);
  if (!env) throw new Error("useEditor outside <EditorContext>");
  return env;
}

export function useEditorState(): EditorState {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, store.getState);
}
