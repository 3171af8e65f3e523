/** Editor + live preview + validation for a label config, shared by project creation and settings. */
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { ApiError, errorMessage } from "../api/client";
import { validateConfig } from "../api/endpoints";
import { previewConfig, serverErrorLine } from "../lib/labelConfig";
import { useDebounced } from "../lib/useDebounced";
import { ConfigEditor } from "./ConfigEditor";
import { ConfigPreview } from "./ConfigPreview";

// The editor's tag components: their own chunk, fetched when a config editor first shows.
const InterfacePreview = lazy(() => import("../editor/components/InterfacePreview"));
// The code editor (CodeMirror) likewise; the plain text box stands in while it loads.
const CodeEditor = lazy(() => import("./configEditor/CodeEditor"));

export interface ConfigCheck {
  state: "checking" | "valid" | "invalid" | "unknown";
  message: string | null;
  line: number | null;
}

/** Asks the server to validate the config 400 ms after the last edit. */
export function useConfigCheck(config: string): ConfigCheck {
  const [check, setCheck] = useState<ConfigCheck>({ state: "checking", message: null, line: null });
  useEffect(() => {
    const ctrl = new AbortController();
    setCheck((c) => ({ ...c, state: "checking" }));
    const timer = window.setTimeout(() => {
      validateConfig(config, ctrl.signal)
        .then(() => setCheck({ state: "valid", message: null, line: null }))
        .catch((err) => {
          if (ctrl.signal.aborted) return;
          if (err instanceof ApiError && err.status === 400) {
            const message = err.validationErrors.label_config?.join(" ") ?? err.detail;
            setCheck({ state: "invalid", message, line: serverErrorLine(message) });
          } else {
            setCheck({ state: "unknown", message: `Could not check the config: ${errorMessage(err)}`, line: null });
          }
        });
    }, 400);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [config]);
  return check;
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  check: ConfigCheck;
}

export function LabelingEditor({ value, onChange, check }: Props) {
  const preview = useMemo(() => previewConfig(value), [value]);
  // The browser's parser answers instantly for XML syntax; the server judges everything else.
  const local = preview.error;
  const message = local ? local.message : check.message;
  const line = local ? local.line : check.line;
  const settled = useDebounced(value, 300); // the screen is not rebuilt on every keystroke
  return (
    <>
      <div className="config-split">
        <div>
          <label id="label-config-label" htmlFor="label-config" className="field" style={{ marginBottom: 6 }}>
            Labeling config (XML)
          </label>
          <Suspense
            fallback={
              <ConfigEditor
                id="label-config"
                value={value}
                onChange={onChange}
                errorLine={message ? line : null}
                describedBy="config-status"
              />
            }
          >
            <CodeEditor
              labelledBy="label-config-label"
              value={value}
              onChange={onChange}
              error={message ? { line, message } : null}
              describedBy="config-status"
            />
          </Suspense>
          <div id="config-status" aria-live="polite">
            {message ? (
              <p className="config-error" role="alert">
                {line ? <b>Line {line}:</b> : null} {message.replace(/^\s*line \d+\s*:\s*/i, "")}
              </p>
            ) : (
              <p className="hint" style={{ marginTop: 6 }}>
                {check.state === "valid" ? "✓ Valid config" : "Checking…"}
              </p>
            )}
          </div>
        </div>
        <ConfigPreview preview={preview} />
      </div>
      <section className="interface-preview" aria-label="Labeling screen">
        <h3>
          What annotators will see <span className="hint">on made-up data: try it, nothing is saved</span>
        </h3>
        {local ? (
          <p className="muted">The screen appears when the XML is well-formed.</p>
        ) : (
          <Suspense fallback={<p className="hint">Loading the preview…</p>}>
            <InterfacePreview xml={settled} />
          </Suspense>
        )}
      </section>
    </>
  );
}
