/** /projects/:id/settings/annotation: what annotators see in the labeling stream. */
import { useQuery } from "@tanstack/react-query";
import { keys, modelVersions } from "../../api/endpoints";
import type { AnnotationDraft } from "./drafts";
import { SaveRow } from "./SaveRow";

type Flag = "show_instruction" | "show_skip_button" | "show_collab_predictions";

const FLAGS: { key: Flag; label: string; hint: string }[] = [
  { key: "show_instruction", label: "Show the instructions before labeling", hint: "before the first task" },
  { key: "show_skip_button", label: "Annotators can skip tasks", hint: "a Skip button beside Submit" },
  { key: "show_collab_predictions", label: "Show predictions to annotators", hint: "as a starting point to correct" },
];

interface Props {
  projectId: number;
  draft: AnnotationDraft;
  onChange: (draft: AnnotationDraft) => void;
  onSave: () => Promise<unknown>;
}

export function AnnotationSection({ projectId, draft, onChange, onSave }: Props) {
  const versions = useQuery({ queryKey: keys.modelVersions(projectId), queryFn: () => modelVersions(projectId) });
  const counts = versions.data ?? {};
  // A saved version with no predictions left still shows, so saving the form does not change it silently.
  const names = [...new Set([...Object.keys(counts), ...(draft.model_version ? [draft.model_version] : [])])];
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Annotation</h2>
      <label className="field">
        <span>
          Instructions <span className="hint">for annotators; HTML is allowed</span>
        </span>
        <textarea
          rows={6}
          value={draft.expert_instruction}
          onChange={(e) => onChange({ ...draft, expert_instruction: e.target.value })}
        />
      </label>
      <div className="stack" style={{ marginTop: 16, gap: 10 }}>
        {FLAGS.map((f) => (
          <label key={f.key} className="row">
            <input
              type="checkbox"
              checked={draft[f.key]}
              onChange={(e) => onChange({ ...draft, [f.key]: e.target.checked })}
            />
            {f.label} <span className="hint">{f.hint}</span>
          </label>
        ))}
        <label className="field" style={{ maxWidth: 420 }}>
          <span>
            Pre-fill from <span className="hint">which predictions a task opens with</span>
          </span>
          <select
            value={draft.model_version}
            disabled={!draft.show_collab_predictions}
            onChange={(e) => onChange({ ...draft, model_version: e.target.value })}
          >
            <option value="">The newest prediction, any model</option>
            {names.map((v) => (
              <option key={v} value={v}>
                {v} ({(counts[v] ?? 0).toLocaleString()} predictions)
              </option>
            ))}
          </select>
        </label>
      </div>
      <SaveRow onSave={onSave} />
    </section>
  );
}
