/** /projects/:id/settings/danger-zone: delete the project. */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { deleteProject, keys } from "../../api/endpoints";
import type { Project } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useToast } from "../../components/Toasts";

export function DangerZoneSection({ project }: { project: Project }) {
  const client = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  return (
    <section className="panel" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Danger zone</h2>
      <p className="hint" style={{ marginBottom: 12 }}>
        Deleting the project removes its tasks, annotations, predictions and uploaded files.
      </p>
      <button className="btn danger" onClick={() => setDeleting(true)}>
        Delete project…
      </button>
      {deleting && (
        <ConfirmDialog
          title="Delete project?"
          confirmLabel="Delete project"
          danger
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteProject(project.id);
            client.invalidateQueries({ queryKey: keys.projects });
            toast.ok(`Deleted “${project.title}”.`);
            navigate("/projects");
          }}
        >
          <p>“{project.title}” and everything in it will be deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
