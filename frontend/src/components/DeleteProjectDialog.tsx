/** "Delete project?": the projects page's card menu and Settings -> Danger zone ask the same way. */
import { useQueryClient } from "@tanstack/react-query";
import { deleteProject, keys } from "../api/endpoints";
import type { Project } from "../api/types";
import { ConfirmDialog } from "./ConfirmDialog";
import { useToast } from "./Toasts";
import { plural } from "../lib/plural";


export function DeleteProjectDialog({
  project,
  onClose,
  onDeleted,
}: {
  project: Project;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const client = useQueryClient();
  const toast = useToast();
  return (
    <ConfirmDialog
      title="Delete project?"
      confirmLabel="Delete project"
      danger
      onClose={onClose}
      onConfirm={async () => {
        await deleteProject(project.id);
        await client.invalidateQueries({ queryKey: keys.projects });
        toast.ok(`Deleted “${project.title}”.`);
        onDeleted?.();
      }}
    >
      <p>
        “{project.title}” and its {plural(project.task_number ?? 0, "task")}, annotations and predictions will be
        deleted. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
