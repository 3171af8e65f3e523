/** /projects/:id/settings/labeling: the label config, with its live check and preview. */
import { LabelingEditor, useConfigCheck } from "../../components/LabelingEditor";
import { SaveRow } from "./SaveRow";

interface Props {
  draft: string;
  onChange: (draft: string) => void;
  onSave: () => Promise<unknown>;
}

export function LabelingSection({ draft, onChange, onSave }: Props) {
  const check = useConfigCheck(draft);
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Labeling interface</h2>
      <LabelingEditor value={draft} onChange={onChange} check={check} />
      <SaveRow onSave={onSave} />
    </section>
  );
}
