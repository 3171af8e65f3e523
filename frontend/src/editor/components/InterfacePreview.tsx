/**
 * The labeling screen a config makes, on made-up data (config/sampleData), for trying a config before it
 * is saved: the same tag components the editor uses, with nothing saved anywhere. Its own chunk (loaded
 * lazily by the config editor), like the labeling page.
 */
import { useMemo, useState } from "react";
import { parseConfig, type ParsedConfig } from "../config/parse";
import { sampleData } from "../config/sampleData";
import { EMPTY_DOC } from "../store/doc";
import { comboOf, isTyping } from "../hotkeys";
import { EditorStore } from "../store/store";
import { applyLabelKey } from "./controls";
import { EditorContext, newEditorEnv } from "./EditorContext";
import { EditorScreen } from "./EditorScreen";
import { defaultTool } from "./imageActions";

export default function InterfacePreview({ xml }: { xml: string }) {
  const config = useMemo(() => {
    try {
      return parseConfig(xml);
    } catch {
      return null; // the config editor beside it says what is wrong
    }
  }, [xml]);
  if (!config) return <p className="muted">The interface appears once the config is valid.</p>;
  // A new screen for each config: regions drawn for an older one may name controls that are gone.
  return <Screen key={xml} config={config} />;
}

function Screen({ config }: { config: ParsedConfig }) {
  const [store] = useState(() => new EditorStore(EMPTY_DOC, { tool: defaultTool(config) }));
  const env = useMemo(() => newEditorEnv(store, config, sampleData(config), () => undefined), [store, config]);
  return (
    <EditorContext.Provider value={env}>
      {/* Label and choice keys work while the pointer or focus is in the screen, not in the XML editor. */}
      <EditorScreen
        config={config}
        className="preview-screen"
        data-testid="interface-preview"
        tabIndex={-1}
        onPointerDown={(e) => e.currentTarget.focus({ preventScroll: true })}
        onKeyDown={(e) => {
          if (!isTyping(e.target) && applyLabelKey(store, config, comboOf(e.nativeEvent))) e.preventDefault();
        }}
      />
    </EditorContext.Provider>
  );
}
