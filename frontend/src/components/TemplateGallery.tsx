/** Starting configs grouped by kind of data; picking one replaces the editor's text. */
import { TEMPLATES, type Template } from "../lib/templates";

interface Props {
  selected: string | null;
  onPick: (t: Template) => void;
}

export function TemplateGallery({ selected, onPick }: Props) {
  const groups = [...new Set(TEMPLATES.map((t) => t.group))];
  return (
    <nav className="gallery" aria-label="Templates">
      {groups.map((g) => (
        <div key={g} className="gallery-group">
          <h3>{g}</h3>
          {TEMPLATES.filter((t) => t.group === g).map((t) => (
            <button key={t.id} type="button" aria-pressed={selected === t.id} onClick={() => onPick(t)}>
              <span>{t.title}</span>
              <small>{t.description}</small>
            </button>
          ))}
        </div>
      ))}
    </nav>
  );
}
