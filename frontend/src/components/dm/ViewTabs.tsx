/** The tab strip: switch, add, rename (double-click or menu), duplicate, delete. */
import { useState } from "react";
import type { View } from "../../api/types";
import { ConfirmDialog } from "../ConfirmDialog";
import { Menu } from "../Menu";
import { useToast } from "../Toasts";

interface Props {
  views: View[];
  activeId: number | null;
  saving: boolean;
  onSelect: (id: number) => void;
  onAdd: (copy: boolean) => Promise<void>;
  onRename: (view: View, title: string) => Promise<void>;
  onDelete: (view: View) => Promise<void>;
}

export function ViewTabs({ views, activeId, saving, onSelect, onAdd, onRename, onDelete }: Props) {
  const toast = useToast();
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState("");
  const [deleting, setDeleting] = useState<View | null>(null);

  const startRename = (v: View) => {
    setDraft(v.data?.title ?? "");
    setEditing(v.id);
  };
  const commit = (v: View) => {
    setEditing(null);
    const title = draft.trim();
    if (title && title !== v.data?.title)
      onRename(v, title).catch((err) => toast.error(err, "Could not rename the tab"));
  };

  return (
    <div className="tabs" role="tablist" aria-label="Views">
      {views.map((v) => {
        const active = v.id === activeId;
        const title = v.data?.title || `Tab ${v.id}`;
        return (
          <div key={v.id} className={`tab${active ? " active" : ""}`}>
            {editing === v.id ? (
              <input
                aria-label="Tab name"
                value={draft}
                autoFocus
                onChange={(e) => setDraft(e.target.value)}
                onBlur={() => commit(v)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") commit(v);
                  if (e.key === "Escape") setEditing(null);
                }}
              />
            ) : (
              <button
                className="tab-title"
                role="tab"
                aria-selected={active}
                onClick={() => onSelect(v.id)}
                onDoubleClick={() => startRename(v)}
                title={`${title} (double-click to rename)`}
              >
                {title}
              </button>
            )}
            {active && editing !== v.id && (
              <Menu className="btn ghost small" ariaLabel={`Tab ${title} options`} label="▾">
                {(close) => (
                  <>
                    <button
                      role="menuitem"
                      onClick={() => {
                        close();
                        startRename(v);
                      }}
                    >
                      Rename
                    </button>
                    <button
                      role="menuitem"
                      onClick={() => {
                        close();
                        onAdd(true).catch((err) => toast.error(err, "Could not duplicate the tab"));
                      }}
                    >
                      Duplicate
                    </button>
                    <hr />
                    <button
                      role="menuitem"
                      className="danger"
                      disabled={views.length < 2}
                      onClick={() => {
                        close();
                        setDeleting(v);
                      }}
                    >
                      Delete
                    </button>
                  </>
                )}
              </Menu>
            )}
          </div>
        );
      })}
      <button
        className="btn ghost small"
        style={{ marginBottom: 4 }}
        aria-label="Add tab"
        title="Add tab"
        onClick={() => onAdd(false).catch((err) => toast.error(err, "Could not add a tab"))}
      >
        +
      </button>
      <span className="spacer" />
      <span className="hint" style={{ marginBottom: 6 }} aria-live="polite">
        {saving ? "Saving tab…" : ""}
      </span>
      {deleting && (
        <ConfirmDialog
          title="Delete tab?"
          confirmLabel="Delete tab"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => onDelete(deleting)}
        >
          <p>The tab “{deleting.data?.title}” and its filters will be deleted. Tasks are not affected.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
