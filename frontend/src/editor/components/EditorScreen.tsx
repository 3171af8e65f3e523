/** The body of a task's editor: the config's tags, with an image config's controls and the region list
 * (when the config can make regions) in a column beside the picture, and the tags it cannot show named.
 * The labeling stream (TaskEditor) and the config preview both render this. */
import { useMemo, type HTMLAttributes } from "react";
import type { ParsedConfig } from "../config/parse";
import { splitForPanel } from "../layout/sidePanel";
import { ConfigTags, ConfigView } from "./ConfigView";
import { useEditorState } from "./EditorContext";
import { RegionList } from "./RegionList";

export function EditorScreen({ config, ...layout }: { config: ParsedConfig } & HTMLAttributes<HTMLDivElement>) {
  const { doc } = useEditorState();
  const hasRegions = config.controls.some((c) => c.shape || c.kind === "labels") || doc.regions.length > 0;
  const { main, side } = useMemo(() => splitForPanel(config.root), [config]);
  const panel = hasRegions || side.length > 0;
  return (
    <>
      {config.unsupported.length > 0 && (
        <p className="alert error" role="alert" style={{ margin: "8px 0" }}>
          Not supported by this editor, left out: {config.unsupported.map((t) => `<${t}>`).join(", ")}.
        </p>
      )}
      <div {...layout} className={`editor-layout${panel ? " with-panel" : ""} ${layout.className ?? ""}`}>
        <div className="editor-main" data-testid="editor-main">
          <ConfigView node={main} />
        </div>
        {panel && (
          <div className="side-column" data-testid="side-column">
            {side.length > 0 && (
              <section className="control-panel" aria-label="Answer" data-testid="control-panel">
                <ConfigTags nodes={side} />
              </section>
            )}
            {hasRegions && <RegionList />}
          </div>
        )}
      </div>
    </>
  );
}
