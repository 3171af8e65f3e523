/** /projects/:id/settings/quality: how many annotators label each task, who gets which tasks, honeypots, and
 * whether annotators see each other's work. */
import type { QualityDraft } from "./drafts";
import { SaveRow } from "./SaveRow";

interface Props {
  draft: QualityDraft;
  onChange: (draft: QualityDraft) => void;
  onSave: () => Promise<unknown>;
}

function Percent({
  label,
  hint,
  value,
  onChange,
}: {
  label: string;
  hint: string;
  value: number;
  onChange: (v: number) => void;
}) {
  return (
    <label className="field" style={{ maxWidth: 420 }}>
      <span>
        {label} <span className="hint">{hint}</span>
      </span>
      <input type="number" min={0} max={100} value={value} onChange={(e) => onChange(Number(e.target.value))} />
    </label>
  );
}

export function QualitySection({ draft, onChange, onSave }: Props) {
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Team and quality</h2>
      <div className="stack" style={{ gap: 12 }}>
        <label className="field" style={{ maxWidth: 420 }}>
          <span>
            Annotators per task <span className="hint">a task is done once this many labeled it</span>
          </span>
          <input
            type="number"
            min={1}
            value={draft.maximum_annotations}
            onChange={(e) => onChange({ ...draft, maximum_annotations: Number(e.target.value) })}
          />
        </label>
        <Percent
          label="On this percentage of the tasks"
          hint="the rest need one annotator"
          value={draft.overlap_cohort_percentage}
          onChange={(v) => onChange({ ...draft, overlap_cohort_percentage: v })}
        />
        <label className="field" style={{ maxWidth: 420 }}>
          <span>
            Task distribution <span className="hint">what the labeling stream serves annotators</span>
          </span>
          <select
            value={draft.distribution}
            onChange={(e) => onChange({ ...draft, distribution: e.target.value as QualityDraft["distribution"] })}
          >
            <option value="auto_distribution">Automatic: their assigned tasks first, then any task left</option>
            <option value="assigned_only">Manual: only the tasks assigned to them</option>
          </select>
        </label>
        <Percent
          label="Honeypots"
          hint="% of annotators' next tasks drawn from ground-truth tasks, unmarked, to measure accuracy"
          value={draft.honeypot_percentage}
          onChange={(v) => onChange({ ...draft, honeypot_percentage: v })}
        />
        <label className="row">
          <input
            type="checkbox"
            checked={draft.annotators_see_others}
            onChange={(e) => onChange({ ...draft, annotators_see_others: e.target.checked })}
          />
          Annotators see each other's annotations <span className="hint">off: only their own work</span>
        </label>
      </div>
      <SaveRow onSave={onSave} />
    </section>
  );
}
