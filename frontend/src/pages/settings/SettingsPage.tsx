/**
 * /projects/:id/settings[/:section]: a side navigation and one section at a time, at Label Studio's addresses.
 * The forms' drafts live here, not in the sections, so moving between sections keeps unsaved edits.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, NavLink, useParams } from "react-router-dom";
import { errorMessage } from "../../api/client";
import { getProject, keys, updateProject } from "../../api/endpoints";
import type { Project } from "../../api/types";
import { JobsSection } from "../../components/JobsSection";
import { MLBackendsSection } from "../../components/MLBackendsSection";
import { StoragesSection } from "../../components/StoragesSection";
import { NotFoundPage } from "../NotFoundPage";
import { AnnotationSection } from "./AnnotationSection";
import { DangerZoneSection } from "./DangerZoneSection";
import { draftsOf, unsavedSections, type Drafts, type FormSection } from "./drafts";
import { GeneralSection } from "./GeneralSection";
import { LabelingSection } from "./LabelingSection";
import { QualitySection } from "./QualitySection";

// Label Studio's slugs, in its order; "" is /settings itself.
const SECTIONS = [
  { slug: "", label: "General" },
  { slug: "labeling", label: "Labeling interface" },
  { slug: "annotation", label: "Annotation" },
  { slug: "quality", label: "Team and quality" },
  { slug: "ml", label: "Machine learning" },
  { slug: "storage", label: "Cloud storage" },
  { slug: "jobs", label: "Background jobs" },
  { slug: "danger-zone", label: "Danger zone" },
] as const;

type Slug = (typeof SECTIONS)[number]["slug"];

const FORM_OF: Partial<Record<Slug, FormSection>> = {
  "": "general",
  labeling: "labeling",
  annotation: "annotation",
  quality: "quality",
};

type ProjectPatch = Parameters<typeof updateProject>[1];

function patchOf(section: FormSection, drafts: Drafts): ProjectPatch {
  if (section === "general") return { ...drafts.general, title: drafts.general.title.trim() };
  if (section === "labeling") return { label_config: drafts.labeling };
  if (section === "quality") {
    const { distribution, ...rest } = drafts.quality;
    return { ...rest, assignment_settings: { label_stream_task_distribution: distribution } };
  }
  return drafts.annotation;
}

export function SettingsPage() {
  const { id, section = "" } = useParams();
  const current = SECTIONS.find((s) => s.slug === section);
  return current ? <Settings id={Number(id)} slug={current.slug} /> : <NotFoundPage />;
}

function Settings({ id, slug }: { id: number; slug: Slug }) {
  const project = useQuery({ queryKey: keys.project(id), queryFn: () => getProject(id) });
  const label = SECTIONS.find((s) => s.slug === slug)!.label;
  useEffect(() => {
    if (project.data) document.title = `${project.data.title} · ${label} · Settings · LabelHive`;
  }, [project.data, label]);
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
      {project.data && <SettingsBody key={project.data.id} project={project.data} slug={slug} />}
    </div>
  );
}

function SettingsBody({ project, slug }: { project: Project; slug: Slug }) {
  const client = useQueryClient();
  const [drafts, setDrafts] = useState(() => draftsOf(project));
  const unsaved = unsavedSections(drafts, project);
  const edit =
    <S extends FormSection>(section: S) =>
    (draft: Drafts[S]) =>
      setDrafts((d) => ({ ...d, [section]: draft }));
  const save = (section: FormSection) => async () => {
    const saved = await updateProject(project.id, patchOf(section, drafts));
    client.setQueryData(keys.project(project.id), saved);
    client.invalidateQueries({ queryKey: keys.projects });
    // What the server kept (a trimmed title, a default config) becomes the form's new starting point.
    setDrafts((d) => ({ ...d, [section]: draftsOf(saved)[section] }));
  };

  let content;
  if (slug === "")
    content = <GeneralSection draft={drafts.general} onChange={edit("general")} onSave={save("general")} />;
  else if (slug === "labeling")
    content = <LabelingSection draft={drafts.labeling} onChange={edit("labeling")} onSave={save("labeling")} />;
  else if (slug === "annotation")
    content = (
      <AnnotationSection
        projectId={project.id}
        draft={drafts.annotation}
        onChange={edit("annotation")}
        onSave={save("annotation")}
      />
    );
  else if (slug === "quality")
    content = <QualitySection draft={drafts.quality} onChange={edit("quality")} onSave={save("quality")} />;
  else if (slug === "ml") content = <MLBackendsSection projectId={project.id} />;
  else if (slug === "storage") content = <StoragesSection projectId={project.id} />;
  else if (slug === "jobs") content = <JobsSection projectId={project.id} />;
  else content = <DangerZoneSection project={project} />;

  return (
    <div className="settings-layout">
      <nav className="settings-nav" aria-label="Settings">
        {SECTIONS.map((s) => {
          const form = FORM_OF[s.slug];
          return (
            <NavLink key={s.slug} to={`/projects/${project.id}/settings${s.slug && `/${s.slug}`}`} end>
              {s.label}
              {form && unsaved.has(form) && (
                <span className="unsaved" title="Unsaved changes">
                  <span className="sr-only">(unsaved changes)</span>
                </span>
              )}
            </NavLink>
          );
        })}
      </nav>
      <div>{content}</div>
    </div>
  );
}
