/**
 * The labeling screen a config makes, on made-up data (config/sampleData), for trying a config before it
 * is saved: the same tag components the editor uses, with nothing saved anywhere. Its own chunk (loaded
 * lazily by the config editor), like the labeling page.
 */
import { useMemo, useState, useSyncExternalStore } from "react";
import { ConfigError, parseConfig, type ParsedConfig } from "../config/parse";
import { sampleData } from "../config/sampleData";
import { EMPTY_DOC } from "../store/doc";
import { comboOf, isTyping } from "../hotkeys";
import { EditorStore } from "../store/store";
import { applyLabelKey } from "./controls";
import { ConfigView } from "./ConfigView";
import { EditorContext, type EditorEnv, type ImageHandle, type MediaHandle } from "./EditorContext";
import { defaultTool } from "./imageActions";
import { RegionList } from "./RegionList";

export default function InterfacePreview({ xml }: { xml: string }) {
  const parsed = useMemo(() => {
    try {
      return { config: parseConfig(xml), error: null };
    } catch (err) {
      return { config: null, error: err instanceof ConfigError ? err.message : String(err) };
    }
  }, [xml]);
  if (!parsed.config) return <p className="muted">The interface appears once the config is valid.</p>;
  // A new screen for each config: regions drawn for an older one may name controls that are gone.
  return <Screen key={xml} config={parsed.config} />;
}

function Screen({ config }: { config: ParsedConfig }) {
  const [store] = useState(() => new EditorStore(EMPTY_DOC, { tool: defaultTool(config) }));
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const env = useMemo<EditorEnv>(
    () => ({
      store,
      config,
      data: sampleData(config),
      images: new Map<string, ImageHandle>(),
      media: new Map<string, MediaHandle>(),
      texts: new Map(),
      activeImage: { current: null },
      sizes: new Map(),
      hint: () => undefined,
      errors: {},
    }),
    [store, config],
  );
  const hasRegions = config.controls.some((c) => c.shape || c.kind === "labels") || state.doc.regions.length > 0;
  return (
    <EditorContext.Provider value={env}>
      {config.unsupported.length > 0 && (
        <p className="alert error" style={{ margin: "0 0 8px" }}>
          Not supported by this editor, left out: {config.unsupported.map((t) => `<${t}>`).join(", ")}.
        </p>
      )}
      {/* Label and choice keys work while the pointer or focus is in the screen, not in the XML editor. */}
      <div
        className={`editor-layout preview-screen${hasRegions ? " with-panel" : ""}`}
        data-testid="interface-preview"
        tabIndex={-1}
        onPointerDown={(e) => e.currentTarget.focus({ preventScroll: true })}
        onKeyDown={(e) => {
          if (!isTyping(e.target) && applyLabelKey(store, config, comboOf(e.nativeEvent))) e.preventDefault();
        }}
      >
        <div className="editor-main">
          <ConfigView />
        </div>
        {hasRegions && <RegionList />}
      </div>
    </EditorContext.Provider>
  );
}
