/** Name, description and color of a project. */
export interface ProjectFieldValues {
  title: string;
  description: string;
  color: string;
}

interface Props {
  values: ProjectFieldValues;
  onChange: (values: ProjectFieldValues) => void;
  errors?: Record<string, string[]>;
  autoFocus?: boolean;
}

export function ProjectFields({ values, onChange, errors = {}, autoFocus }: Props) {
  const set = (patch: Partial<ProjectFieldValues>) => onChange({ ...values, ...patch });
  return (
    <div className="fields-grid">
      <label className="field">
        Project name
        <input
          type="text"
          required
          value={values.title}
          autoFocus={autoFocus}
          maxLength={1000}
          placeholder="e.g. Flowers"
          onChange={(e) => set({ title: e.target.value })}
          aria-invalid={!!errors.title}
        />
        {errors.title && <span className="config-error">{errors.title.join(" ")}</span>}
      </label>
      <label className="field">
        Color
        <span className="row">
          <input type="color" value={values.color} onChange={(e) => set({ color: e.target.value })} />
          <span className="hint">{values.color}</span>
        </span>
      </label>
      <label className="field wide">
        <span>
          Description <span className="hint">optional, shown on the project card</span>
        </span>
        <textarea rows={2} value={values.description} onChange={(e) => set({ description: e.target.value })} />
      </label>
    </div>
  );
}
