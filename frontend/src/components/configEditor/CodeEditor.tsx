/**
 * The config editor as a code editor (CodeMirror 6): XML highlighting, completion of tag and attribute names
 * from Label Studio's vocabulary, and the error the config check found underlined where it is. Loaded on
 * demand (React.lazy in LabelingEditor): the data manager and the labeling stream never download it.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { xml } from "@codemirror/lang-xml";
import { bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";
import { ELEMENTS } from "./vocabulary";
import { errorRange } from "./errorRange";

export interface CodeEditorProps {
  labelledBy: string;
  value: string;
  onChange: (value: string) => void;
  /** The config check's finding: underlined at its line (and column, when it names one). */
  error: { line: number | null; message: string } | null;
  describedBy?: string;
}

const theme = EditorView.theme({
  "&": { height: "320px", border: "1px solid var(--border-strong)", borderRadius: "var(--radius)", background: "#fff" },
  "&.cm-focused": { outline: "2px solid var(--focus)", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: "13px" },
  ".cm-gutters": { background: "#f8fafc", borderRight: "1px solid var(--border)" },
});

export default function CodeEditor({ labelledBy, value, onChange, error, describedBy }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  // Set while a value from outside is written in: that is not the user's edit, so it is not reported back.
  const applying = useRef(false);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle),
          xml({ elements: ELEMENTS }),
          autocompletion(),
          lintGutter(),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
          EditorView.lineWrapping,
          theme,
          EditorView.contentAttributes.of({
            "aria-labelledby": labelledBy,
            ...(describedBy ? { "aria-describedby": describedBy } : {}),
            "aria-multiline": "true",
            spellcheck: "false",
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !applying.current) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The editor is made once; value and error flow in through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A new value from outside (a template picked, a reset): replace the text, unless it is what we hold.
  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === value) return;
    applying.current = true;
    try {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    } finally {
      applying.current = false;
    }
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const diagnostics: Diagnostic[] = [];
    const range = error ? errorRange(v.state.doc, error.line, error.message) : null;
    if (error && range) diagnostics.push({ ...range, severity: "error", message: error.message });
    v.dispatch(setDiagnostics(v.state, diagnostics));
    v.contentDOM.setAttribute("aria-invalid", String(!!error));
  }, [error]);

  return <div ref={host} className="code-editor" data-testid="config-code-editor" />;
}
