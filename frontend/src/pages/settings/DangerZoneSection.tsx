/** /projects/:id/settings/danger-zone: delete the project. */
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import type { Project } from "../../api/types";
import { DeleteProjectDialog } from "../../components/DeleteProjectDialog";

export function DangerZoneSection({ project }: { project: Project }) {
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
        <DeleteProjectDialog
          project={project}
          onClose={() => setDeleting(false)}
          onDeleted={() => navigate("/projects")}
        />
      )}
    </section>
  );
}
