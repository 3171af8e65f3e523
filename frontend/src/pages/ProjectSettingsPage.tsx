/** /projects/:id/settings: general, instructions, labeling interface, ML backends, storages, danger zone. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { errorMessage } from "../api/client";
import { deleteProject, getProject, keys, updateProject } from "../api/endpoints";
import type { Project } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { LabelingEditor, useConfigCheck } from "../components/LabelingEditor";
import { MLBackendsSection } from "../components/MLBackendsSection";
import { StoragesSection } from "../components/StoragesSection";
import { ProjectFields, type ProjectFieldValues } from "../components/ProjectFields";
import { useToast } from "../components/Toasts";

type ProjectPatch = Parameters<typeof updateProject>[1];

/** One section's Save button, with its error or confirmation right beside it. */
function SaveRow({ label, disabled, onSave }: { label: string; disabled?: boolean; onSave: () => Promise<unknown> }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null; saved: boolean }>({
    busy: false,
    error: null,
    saved: false,
  });
  const run = async () => {
    setState({ busy: true, error: null, saved: false });
    try {
      await onSave();
      setState({ busy: false, error: null, saved: true });
    } catch (err) {
      setState({ busy: false, error: errorMessage(err), saved: false });
    }
  };
  return (
    <div className="row" style={{ marginTop: 14, alignItems: "flex-start" }}>
      <button className="btn primary" disabled={disabled || state.busy} onClick={run}>
        {state.busy ? "Saving…" : label}
      </button>
      {state.saved && (
        <span className="hint" style={{ alignSelf: "center" }}>
          ✓ Saved
        </span>
      )}
      {state.error && (
        <p className="alert error" role="alert" style={{ flex: 1 }}>
          Could not save: {state.error}
        </p>
      )}
    </div>
  );
}

function SettingsForm({ project }: { project: Project & { expert_instruction?: string } }) {
  const client = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const [fields, setFields] = useState<ProjectFieldValues>({
    title: project.title,
    description: project.description ?? "",
    color: /^#[0-9a-f]{6}$/i.test(project.color) ? project.color : "#d97706",
  });
  const [instructions, setInstructions] = useState(project.expert_instruction ?? "");
  const [config, setConfig] = useState(project.label_config);
  const [deleting, setDeleting] = useState(false);
  const check = useConfigCheck(config);
  const save = async (body: ProjectPatch) => {
    const saved = await updateProject(project.id, body);
    client.setQueryData(keys.project(project.id), saved);
    client.invalidateQueries({ queryKey: keys.projects });
  };
  return (
    <>
      <section className="panel">
        <h2>General</h2>
        <ProjectFields values={fields} onChange={setFields} />
        <SaveRow label="Save general settings" disabled={!fields.title.trim()} onSave={() => save(fields)} />
      </section>
      <section className="panel">
        <h2>Instructions</h2>
        <label className="field">
          <span>
            Shown to annotators before they label <span className="hint">HTML is allowed</span>
          </span>
          <textarea rows={4} value={instructions} onChange={(e) => setInstructions(e.target.value)} />
        </label>
        <SaveRow label="Save instructions" onSave={() => save({ expert_instruction: instructions })} />
      </section>
      <section className="panel">
        <h2>Labeling interface</h2>
        <LabelingEditor value={config} onChange={setConfig} check={check} />
        <SaveRow label="Save labeling interface" onSave={() => save({ label_config: config })} />
      </section>
      <MLBackendsSection projectId={project.id} />
      <StoragesSection projectId={project.id} />
      <section className="panel">
        <h2>Danger zone</h2>
        <p className="hint" style={{ marginBottom: 12 }}>
          Deleting the project removes its tasks, annotations, predictions and uploaded files.
        </p>
        <button className="btn danger" onClick={() => setDeleting(true)}>
          Delete project…
        </button>
      </section>
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
    </>
  );
}

export function ProjectSettingsPage() {
  const id = Number(useParams().id);
  const project = useQuery({ queryKey: keys.project(id), queryFn: () => getProject(id) });
  useEffect(() => {
    if (project.data) document.title = `${project.data.title} · Settings · LabelHive`;
  }, [project.data]);
  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/projects">Projects</Link> / <Link to={`/projects/${id}`}>{project.data?.title ?? `#${id}`}</Link> /
        Settings
      </p>
      <div className="page-head" style={{ marginTop: 6 }}>
        <h1>Settings</h1>
        <span className="spacer" />
        <Link className="btn" to={`/projects/${id}`}>
          Back to data
        </Link>
      </div>
      {project.isPending && <p className="muted">Loading…</p>}
      {project.isError && (
        <p className="alert error" role="alert">
          Could not load the project: {errorMessage(project.error)}
        </p>
      )}
      {project.data && <SettingsForm key={project.data.id} project={project.data} />}
    </div>
  );
}
