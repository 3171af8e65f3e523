/** The body of a task's editor: the config's tags, the region list when the config can make regions, and the
 * tags it cannot show named. The labeling stream (TaskEditor) and the config preview both render this. */
import type { HTMLAttributes } from "react";
import type { ParsedConfig } from "../config/parse";
import { ConfigView } from "./ConfigView";
import { useEditorState } from "./EditorContext";
import { RegionList } from "./RegionList";

export function EditorScreen({ config, ...layout }: { config: ParsedConfig } & HTMLAttributes<HTMLDivElement>) {
  const { doc } = useEditorState();
  const hasRegions = config.controls.some((c) => c.shape || c.kind === "labels") || doc.regions.length > 0;
  return (
    <>
      {config.unsupported.length > 0 && (
        <p className="alert error" role="alert" style={{ margin: "8px 0" }}>
          Not supported by this editor, left out: {config.unsupported.map((t) => `<${t}>`).join(", ")}.
        </p>
      )}
      <div {...layout} className={`editor-layout${hasRegions ? " with-panel" : ""} ${layout.className ?? ""}`}>
        <div className="editor-main" data-testid="editor-main">
          <ConfigView />
        </div>
        {hasRegions && <RegionList />}
      </div>
    </>
  );
}
