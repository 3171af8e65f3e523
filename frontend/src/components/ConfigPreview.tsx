/** A readable summary of the config: what the annotator sees and what they produce. */
import type { ConfigPreview as Preview } from "../lib/labelConfig";

export function ConfigPreview({ preview }: { preview: Preview }) {
  if (preview.error && preview.objects.length === 0) {
    return (
      <div className="preview" aria-label="Preview">
        <p className="muted">The preview appears when the XML is well-formed.</p>
      </div>
    );
  }
  const objectNames = new Set(preview.objects.map((o) => o.name));
  const keys = [...new Set(preview.objects.map((o) => o.variable).filter(Boolean))];
  return (
    <div className="preview" aria-label="Preview">
      <h3>Shows</h3>
      {preview.objects.length === 0 && <p className="muted">No object tags (Image, Text, Audio, …) yet.</p>}
      {preview.objects.map((o) => (
        <div className="pv-item" key={o.name}>
          <span className="tag">{o.tag}</span>
          <b>{o.name}</b>
          <span className="muted">from</span>
          {o.variable ? <span className="var">${o.variable}</span> : <span className="muted">“{o.value}”</span>}
        </div>
      ))}
      <h3>Annotators produce</h3>
      {preview.controls.length === 0 && <p className="muted">No control tags (Choices, Labels, TextArea, …) yet.</p>}
      {preview.controls.map((c) => (
        <div key={c.name} className="stack" style={{ gap: 6 }}>
          <div className="pv-item">
            <span className="tag">{c.tag}</span>
            <b>{c.name}</b>
            <span className="muted">on</span>
            {c.toName.map((t) =>
              objectNames.has(t) ? (
                <span key={t}>{t}</span>
              ) : (
                <span key={t} className="missing" title="No object tag has this name">
                  {t} (no such object)
                </span>
              ),
            )}
            {c.notes.map((n) => (
              <span className="note" key={n}>
                {n}
              </span>
            ))}
          </div>
          {c.labels.length > 0 && (
            <div className="pv-item">
              {c.labels.map((l) => (
                <span className="chip" key={l.value}>
                  {l.color && <i style={{ background: l.color }} />}
                  {l.value}
                </span>
              ))}
            </div>
          )}
        </div>
      ))}
      {keys.length > 0 && (
        <p className="hint" style={{ marginTop: "auto" }}>
          Each task needs the data field{keys.length > 1 ? "s" : ""} {keys.map((k) => `“${k}”`).join(", ")}.
        </p>
      )}
    </div>
  );
}
