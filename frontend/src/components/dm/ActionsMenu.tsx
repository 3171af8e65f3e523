/** Bulk actions on the selected tasks, or on every task the tab matches when none is selected. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../api/client";
import { assignTasks, keys, listUsers, modelVersions, runAction, type ActionBody } from "../../api/endpoints";
import { waitForJob } from "../../api/integrations";
import { ConfirmDialog } from "../ConfirmDialog";
import { Menu } from "../Menu";
import { useToast } from "../Toasts";
import { plural } from "../../lib/plural";

const ACTIONS = [
  {
    id: "assign",
    title: "Assign to members",
    danger: false,
    text: "Each member chosen gets these tasks in their labeling stream (or review queue); members not in the project yet are added to it.",
  },
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
    id: "remove_duplicates",
    title: "Remove duplicated tasks",
    danger: false,
    text: "Tasks with the same data are merged into the oldest one: it gets their annotations and predictions, and the copies are deleted.",
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

/** Who gets the tasks, and to do what: annotators and reviewers of the organization, active ones only. */
function AssigneePicker({
  type,
  onType,
  chosen,
  onChosen,
}: {
  type: "AN" | "RE";
  onType: (t: "AN" | "RE") => void;
  chosen: number[];
  onChosen: (ids: number[]) => void;
}) {
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers, staleTime: 60_000 });
  if (users.isError) return <p className="alert error">Could not load the members: {errorMessage(users.error)}</p>;
  const people = (users.data ?? []).filter((u) => u.is_active !== false && u.role !== "DI");
  return (
    <>
      <label className="field">
        To
        <select value={type} onChange={(e) => onType(e.target.value as "AN" | "RE")}>
          <option value="AN">annotate</option>
          <option value="RE">review</option>
        </select>
      </label>
      <fieldset className="field" aria-label="Members">
        {people.map((u) => (
          <label key={u.id} className="row" style={{ gap: 6 }}>
            <input
              type="checkbox"
              checked={chosen.includes(u.id)}
              onChange={(e) => onChosen(e.target.checked ? [...chosen, u.id] : chosen.filter((id) => id !== u.id))}
            />
            {u.email}
          </label>
        ))}
      </fieldset>
    </>
  );
}

export function ActionsMenu({ projectId, count, scope, body, onDone }: Props) {
  const client = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState<Action | null>(null);
  const [version, setVersion] = useState("");
  const [assignType, setAssignType] = useState<"AN" | "RE">("AN");
  const [assignees, setAssignees] = useState<number[]>([]);
  const what =
    scope === "selected"
      ? `the ${plural(count, "selected task")}`
      : count === 1
        ? "the 1 task in this view"
        : `all ${plural(count, "task")} in this view`;

  const confirm = async (action: Action) => {
    if (action.id === "assign") {
      if (assignees.length === 0) throw new Error("Choose at least one member to give the tasks to.");
      const made = await assignTasks(projectId, { ...body, type: assignType, users: assignees });
      toast.ok(`Assigned ${plural(made.task_ids.length, "task")} (${plural(made.assignments, "new assignment")}).`);
      client.invalidateQueries({ queryKey: keys.tasks(projectId) });
      onDone();
      return;
    }
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
          {open.id === "assign" && (
            <AssigneePicker type={assignType} onType={setAssignType} chosen={assignees} onChosen={setAssignees} />
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
