/** Bulk actions on the selected tasks, or on every task the tab matches when none is selected. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../api/client";
import { keys, modelVersions, runAction, type ActionBody } from "../../api/endpoints";
import { waitForJob } from "../../api/integrations";
import { ConfirmDialog } from "../ConfirmDialog";
import { Menu } from "../Menu";
import { useToast } from "../Toasts";
import { plural } from "../../lib/plural";

const ACTIONS = [
  {
    id: "retrieve_tasks_predictions",
    title: "Retrieve predictions",
    danger: false,
    text: "The project's ML backend pre-labels them in the background; tasks that already have a prediction of its current model version are skipped.",
  },
  {
    id: "predictions_to_annotations",
    title: "Accept predictions as annotations",
    danger: false,
    text: "Each prediction of the chosen model version that was not accepted before becomes an annotation. Tasks without one are skipped.",
  },
  {
    id: "delete_tasks_annotations",
    title: "Delete annotations",
    danger: true,
    text: "All annotations of these tasks will be deleted.",
  },
  {
    id: "delete_tasks_predictions",
    title: "Delete predictions",
    danger: true,
    text: "All predictions of these tasks will be deleted.",
  },
  {
    id: "delete_tasks",
    title: "Delete tasks",
    danger: true,
    text: "These tasks and their annotations and predictions will be deleted.",
  },
] as const;

type Action = (typeof ACTIONS)[number];

interface Props {
  projectId: number;
  count: number;
  scope: "selected" | "all";
  body: Omit<ActionBody, "model_version">;
  onDone: () => void;
}

function ModelVersionPicker({
  projectId,
  value,
  onChange,
}: {
  projectId: number;
  value: string;
  onChange: (v: string) => void;
}) {
  const versions = useQuery({ queryKey: keys.modelVersions(projectId), queryFn: () => modelVersions(projectId) });
  if (versions.isError)
    return <p className="alert error">Could not load model versions: {errorMessage(versions.error)}</p>;
  const entries = Object.entries(versions.data ?? {});
  return (
    <label className="field">
      Model version
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={versions.isPending}>
        <option value="">Any version (newest prediction)</option>
        {entries.map(([v, n]) => (
          <option key={v} value={v}>
            {v || "(no version)"} — {n.toLocaleString()} prediction{n === 1 ? "" : "s"}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ActionsMenu({ projectId, count, scope, body, onDone }: Props) {
  const client = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState<Action | null>(null);
  const [version, setVersion] = useState("");
  const what =
    scope === "selected"
      ? `the ${plural(count, "selected task")}`
      : count === 1
        ? "the 1 task in this view"
        : `all ${plural(count, "task")} in this view`;

  const confirm = async (action: Action) => {
    const result = await runAction(projectId, action.id, {
      ...body,
      ...(action.id === "predictions_to_annotations" && version ? { model_version: version } : {}),
    });
    toast.ok(result.detail || `${action.title}: done.`);
    if (action.id === "retrieve_tasks_predictions" && "job" in result) {
      // The backend works in the background: refresh the counts when its job ends.
      void waitForJob(Number(result.job)).then((job) => {
        if (job.status === "failed") toast.error(`Retrieving predictions failed: ${job.error}`);
        else toast.ok(`Predictions stored: ${job.result?.predictions ?? 0}.`);
        for (const key of [keys.tasks(projectId), keys.project(projectId), keys.modelVersions(projectId)])
          client.invalidateQueries({ queryKey: key });
      });
    }
    for (const key of [keys.tasks(projectId), keys.project(projectId), keys.projects, keys.modelVersions(projectId)])
      client.invalidateQueries({ queryKey: key });
    onDone();
  };

  return (
    <>
      <Menu
        label={scope === "selected" ? `Actions (${count.toLocaleString()})` : "Actions"}
        align="right"
        disabled={count === 0}
      >
        {(close) => (
          <>
            <div className="menu-title">
              {scope === "selected" ? `${count.toLocaleString()} selected` : "All tasks in view"}
            </div>
            {ACTIONS.map((a) => (
              <button
                key={a.id}
                role="menuitem"
                className={a.danger ? "danger" : undefined}
                onClick={() => {
                  close();
                  setOpen(a);
                }}
              >
                {a.title}…
              </button>
            ))}
          </>
        )}
      </Menu>
      {open && (
        <ConfirmDialog
          title={`${open.title}?`}
          confirmLabel={open.title}
          danger={open.danger}
          onClose={() => setOpen(null)}
          onConfirm={() => confirm(open)}
        >
          <p>
            This applies to <b>{what}</b>. {open.text}
          </p>
          {open.id === "predictions_to_annotations" && (
            <ModelVersionPicker projectId={projectId} value={version} onChange={setVersion} />
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
