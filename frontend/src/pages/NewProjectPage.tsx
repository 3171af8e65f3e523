/** /projects/new: name, description, color, and the labeling setup; Save opens the data manager. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError, errorMessage } from "../api/client";
import { createProject, keys } from "../api/endpoints";
import { LabelingEditor, useConfigCheck } from "../components/LabelingEditor";
import { ProjectFields, type ProjectFieldValues } from "../components/ProjectFields";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { TemplateGallery } from "../components/TemplateGallery";
import { DEFAULT_TEMPLATE, type Template } from "../lib/templates";

export function NewProjectPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [fields, setFields] = useState<ProjectFieldValues>({ title: "", description: "", color: "#d97706" });
  const [template, setTemplate] = useState<string | null>(DEFAULT_TEMPLATE.id);
  const [config, setConfig] = useState(DEFAULT_TEMPLATE.config);
  // A template picked while the XML holds the user's own edits waits for a yes: picking replaces it all.
  const [replacing, setReplacing] = useState<Template | null>(null);
  const check = useConfigCheck(config);
  const pick = (t: Template) => {
    setTemplate(t.id);
    setConfig(t.config);
  };
  const save = useMutation({
    mutationFn: () => createProject({ ...fields, title: fields.title.trim(), label_config: config }),
    onSuccess: (project) => {
      client.invalidateQueries({ queryKey: keys.projects });
      navigate(`/projects/${project.id}?import=1`);
    },
  });
  const serverFieldErrors = save.error instanceof ApiError ? save.error.validationErrors : {};

  return (
    <div className="page">
      <p className="crumbs">
        <Link to="/projects">Projects</Link> / New
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="page-head sticky-head">
          <h1>Create project</h1>
          <span className="spacer" />
          <Link className="btn" to="/projects">
            Cancel
          </Link>
          <button className="btn primary" type="submit" disabled={save.isPending || !fields.title.trim()}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
        </div>
        {save.isError && (
          <p className="alert error" role="alert" style={{ marginBottom: 16 }}>
            Could not create the project: {errorMessage(save.error)}
          </p>
        )}
        <section className="panel">
          <h2>Project</h2>
          <ProjectFields values={fields} onChange={setFields} errors={serverFieldErrors} autoFocus />
        </section>
        <section className="panel">
          <h2>Labeling setup</h2>
          <p className="hint" style={{ marginBottom: 12 }}>
            Start from a template, then edit the XML. The preview and the checks update as you type.
          </p>
          <div className="new-grid">
            <TemplateGallery
              selected={template}
              onPick={(t) => (template === null && config !== t.config ? setReplacing(t) : pick(t))}
            />
            <LabelingEditor
              value={config}
              onChange={(v) => {
                setConfig(v);
                setTemplate(null);
              }}
              check={check}
            />
          </div>
        </section>
      </form>
      {replacing && (
        <ConfirmDialog
          title={`Use the “${replacing.title}” template?`}
          confirmLabel="Replace my config"
          danger
          onConfirm={async () => pick(replacing)}
          onClose={() => setReplacing(null)}
        >
          <p>Your edits to the labeling config will be replaced by the template's XML.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
