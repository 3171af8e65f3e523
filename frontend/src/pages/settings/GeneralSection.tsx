/** /projects/:id/settings: name, description, color and the order the labeling stream hands out tasks. */
import type { Sampling } from "../../api/types";
import { ProjectFields } from "../../components/ProjectFields";
import type { GeneralDraft } from "./drafts";
import { SaveRow } from "./SaveRow";

// Label Studio's values for project.sampling, with what each one means here.
const SAMPLING: { value: Sampling; label: string }[] = [
  { value: "Sequential sampling", label: "Sequential: tasks in the data manager's order" },
  { value: "Uniform sampling", label: "Random" },
  { value: "Uncertainty sampling", label: "Uncertainty: least confident prediction first" },
];

interface Props {
  draft: GeneralDraft;
  onChange: (draft: GeneralDraft) => void;
  onSave: () => Promise<unknown>;
}

export function GeneralSection({ draft, onChange, onSave }: Props) {
  const { sampling, ...fields } = draft;
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">General</h2>
      <ProjectFields values={fields} onChange={(f) => onChange({ ...f, sampling })} />
      <label className="field" style={{ marginTop: 14, maxWidth: 420 }}>
        Task sampling
        <select value={sampling} onChange={(e) => onChange({ ...draft, sampling: e.target.value as Sampling })}>
          {SAMPLING.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <span className="hint">The order in which “Label all tasks” hands out tasks that are not yet labeled.</span>
      </label>
      <SaveRow disabled={!draft.title.trim()} onSave={onSave} />
    </section>
  );
}
