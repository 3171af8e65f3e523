/** /projects: one card per project with its counts and progress. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { errorMessage } from "../api/client";
import { createProject, keys, listProjects, whoami } from "../api/endpoints";
import type { Project } from "../api/types";
import { DeleteProjectDialog } from "../components/DeleteProjectDialog";
import { Menu } from "../components/Menu";
import { useToast } from "../components/Toasts";
import { managesProjects, readsDataManager } from "../lib/roles";

const fmt = new Intl.NumberFormat();

function stripeColor(color: string | undefined): string {
  return !color || /^#f{3,6}$/i.test(color) ? "#e5e7eb" : color;
}

type CardProps = { project: Project; onDelete: (p: Project) => void; manages: boolean; opensData: boolean };

function ProjectCard({ project, onDelete, manages, opensData }: CardProps) {
  const navigate = useNavigate();
  const toast = useToast();
  const client = useQueryClient();
  const duplicate = useMutation({
    mutationFn: () =>
      createProject({
        title: `${project.title} (copy)`,
        description: project.description,
        label_config: project.label_config,
        color: project.color,
      }),
    onSuccess: (copy) => {
      client.invalidateQueries({ queryKey: keys.projects });
      toast.ok(`Created “${copy.title}”.`);
    },
    onError: (err) => toast.error(err, `Could not duplicate “${project.title}”`),
  });
  const total = project.task_number;
  const done = project.finished_task_number;
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <article className="card" aria-label={project.title}>
      <div className="stripe" style={{ background: stripeColor(project.color) }} />
      <div className="card-body">
        <div className="card-title">
          {/* Annotators go straight to the labeling stream: the data manager is for reviewers and up. */}
          <Link to={opensData ? `/projects/${project.id}` : `/projects/${project.id}/label`}>
            {project.title || `Project #${project.id}`}
          </Link>
          {manages && (
            <Menu className="btn ghost icon small" align="right" ariaLabel={`Actions for ${project.title}`} label="⋯">
              {(close) => (
                <>
                  <button role="menuitem" onClick={() => navigate(`/projects/${project.id}`)}>
                    Open
                  </button>
                  <button role="menuitem" onClick={() => navigate(`/projects/${project.id}/settings`)}>
                    Settings
                  </button>
                  <button
                    role="menuitem"
                    onClick={() => {
                      close();
                      duplicate.mutate();
                    }}
                  >
                    Duplicate
                  </button>
                  <hr />
                  <button
                    role="menuitem"
                    className="danger"
                    onClick={() => {
                      close();
                      onDelete(project);
                    }}
                  >
                    Delete…
                  </button>
                </>
              )}
            </Menu>
          )}
        </div>
        <p className="card-desc">{project.description || <span className="muted">No description</span>}</p>
        <div className="stats">
          <div className="stat">
            <b>{fmt.format(total)}</b>
            <span>{total === 1 ? "task" : "tasks"}</span>
          </div>
          <div className="stat">
            <b>{fmt.format(project.num_tasks_with_annotations)}</b>
            <span>annotated</span>
          </div>
          <div className="stat">
            <b>{fmt.format(project.total_predictions_number)}</b>
            <span>{project.total_predictions_number === 1 ? "prediction" : "predictions"}</span>
          </div>
        </div>
        <div>
          <div className="progress-label">
            <span>
              {fmt.format(done)} of {fmt.format(total)} finished
            </span>
            <span>{pct}%</span>
          </div>
          <div
            className="progress"
            role="progressbar"
            aria-label="Finished tasks"
            aria-valuenow={pct}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div style={{ width: `${pct}%` }} />
          </div>
        </div>
      </div>
    </article>
  );
}

export function ProjectsPage() {
  const projects = useQuery({ queryKey: keys.projects, queryFn: listProjects });
  const me = useQuery({ queryKey: keys.whoami, queryFn: whoami, staleTime: Infinity });
  const manages = managesProjects(me.data?.role);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const list = projects.data?.results ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Projects</h1>
          {projects.data && (
            <p className="sub">
              {fmt.format(projects.data.count)} project{projects.data.count === 1 ? "" : "s"}
            </p>
          )}
        </div>
        <span className="spacer" />
        {manages && (
          <Link className="btn primary" to="/projects/new">
            Create project
          </Link>
        )}
      </div>
      {projects.isPending && <p className="muted">Loading projects…</p>}
      {projects.isError && (
        <p className="alert error" role="alert">
          Could not load projects: {errorMessage(projects.error)}{" "}
          <button className="btn small" onClick={() => projects.refetch()}>
            Retry
          </button>
        </p>
      )}
      {projects.isSuccess && list.length === 0 && me.isSuccess && !manages && (
        <div className="panel empty">
          <h2>No projects for you yet</h2>
          <p>A manager adds you to the projects you work on; they appear here once you are.</p>
        </div>
      )}
      {projects.isSuccess && list.length === 0 && manages && (
        <div className="panel empty">
          <h2>No projects yet</h2>
          <p>Create a project, pick a labeling template, and import your data.</p>
          <p style={{ marginTop: 16 }}>
            <Link className="btn primary" to="/projects/new">
              Create your first project
            </Link>
          </p>
        </div>
      )}
      <div className="cards">
        {list.map((p) => (
          <ProjectCard
            key={p.id}
            project={p}
            onDelete={setDeleting}
            manages={manages}
            opensData={readsDataManager(me.data?.role)}
          />
        ))}
      </div>
      {deleting && <DeleteProjectDialog project={deleting} onClose={() => setDeleting(null)} />}
    </div>
  );
}
