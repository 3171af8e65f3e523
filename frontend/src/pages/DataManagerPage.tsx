/** /projects/:id: the data manager — tabs, filters, ordering, columns, the task table or grid, bulk actions. */
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link, Navigate, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { errorMessage } from "../api/client";
import { getProject, getSummary, keys, listUsers, whoami } from "../api/endpoints";
import type { Conjunction, Task, User } from "../api/types";
import { ActionsMenu } from "../components/dm/ActionsMenu";
import { ColumnsMenu } from "../components/dm/ColumnsMenu";
import { ExportDialog } from "../components/dm/ExportDialog";
import { FilterPanel } from "../components/dm/FilterPanel";
import { ImportDialog } from "../components/dm/ImportDialog";
import { TaskGrid } from "../components/dm/TaskGrid";
import { TaskTable } from "../components/dm/TaskTable";
import { useColumns } from "../components/dm/useColumns";
import { useTabs } from "../components/dm/useTabs";
import { useTaskRows } from "../components/dm/useTaskRows";
import { ViewTabs } from "../components/dm/ViewTabs";
import { nextOrdering } from "../lib/columns";
import { buildFilters, type FilterRow } from "../lib/filters";
import { previewConfig, requiredKeys } from "../lib/labelConfig";
import { NOTHING, selectedCount, toSelectedItems, type Selection } from "../lib/selection";
import { useDebounced } from "../lib/useDebounced";
import { plural } from "../lib/plural";
import { managesProjects, readsDataManager } from "../lib/roles";

const fmt = new Intl.NumberFormat();

export function DataManagerPage() {
  const { id } = useParams();
  const me = useQuery({ queryKey: keys.whoami, queryFn: whoami, staleTime: Infinity });
  if (me.data && !readsDataManager(me.data.role)) {
    return <Navigate to={`/projects/${id}/label`} replace />; // Annotators work in the labeling stream
  }
  // A fresh data manager per project: columns and tab state never carry over from another project.
  return <DataManager key={id} projectId={Number(id)} manages={managesProjects(me.data?.role)} />;
}

/** `manages`: the user may change the project (Managers and up): settings, import, export and actions. */
function DataManager({ projectId, manages }: { projectId: number; manages: boolean }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const project = useQuery({ queryKey: keys.project(projectId), queryFn: () => getProject(projectId) });
  const summary = useQuery({ queryKey: keys.summary(projectId), queryFn: () => getSummary(projectId) });
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers, staleTime: 60_000 });
  const tabs = useTabs(projectId);
  const { state } = tabs;

  const filters = useMemo(() => buildFilters(state.rows, state.conjunction), [state.rows, state.conjunction]);
  const liveQuery = JSON.stringify({ filters, ordering: state.ordering });
  const query = useDebounced(liveQuery, 250);

  const [range, setRange] = useState({ first: 0, last: 40 });
  const onRange = useCallback((first: number, last: number) => setRange({ first, last }), []);
  const rows = useTaskRows(projectId, query, range.first, range.last);
  const columns = useColumns(project.data, rows.totals?.tasks, summary.data);
  const visible = columns
    .filter((c) => !state.hidden.includes(c.id))
    .map((c) => (state.widths[c.id] ? { ...c, width: state.widths[c.id] } : c));

  const [selection, setSelection] = useState<Selection>(NOTHING);
  useEffect(() => setSelection(NOTHING), [query, tabs.active?.id]);

  const [showFilters, setShowFilters] = useState(false);
  const activeId = tabs.active?.id;
  // The labeling stream follows this tab; its latest filters and order must be on the server first.
  const openLabeling = (taskId?: number) =>
    void tabs
      .flush()
      .then(() =>
        navigate(
          `/projects/${projectId}/label${taskId ? `/${taskId}` : ""}${activeId !== undefined ? `?view=${activeId}` : ""}`,
        ),
      );
  const openTask = (task: Task) => openLabeling(task.id);
  const hasFilterRows = state.rows.length > 0;
  // Opening a tab that has filters shows them; switching tabs does not keep another tab's panel open.
  useEffect(() => {
    if (activeId !== undefined) setShowFilters(hasFilterRows);
  }, [activeId]);
  const [dialog, setDialog] = useState<"import" | "export" | null>(params.get("import") ? "import" : null);
  useEffect(() => {
    if (params.get("import"))
      setParams(
        (p) => {
          p.delete("import");
          return p;
        },
        { replace: true },
      );
  }, [params, setParams]);
  useEffect(() => {
    if (project.data) document.title = `${project.data.title} · LabelHive`;
  }, [project.data]);

  const userMap = useMemo(() => new Map((users.data ?? []).map((u: User) => [u.id, u])), [users.data]);
  const needKeys = useMemo(
    () => requiredKeys(previewConfig(project.data?.label_config ?? "<View/>")),
    [project.data?.label_config],
  );
  const activeFilters = filters?.items.length ?? 0;
  const chosen = selectedCount(selection, rows.total);

  if (project.isError) {
    return (
      <div className="page">
        <p className="alert error" role="alert">
          Could not open project {projectId}: {errorMessage(project.error)} <Link to="/projects">Back to projects</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="dm">
      <div className="dm-head">
        <div>
          <p className="crumbs">
            <Link to="/projects">Projects</Link> /
          </p>
          <h1>{project.data?.title ?? "…"}</h1>
        </div>
        <span className="spacer" />
        <Link className="btn" to={`/projects/${projectId}/dashboard`}>
          Dashboard
        </Link>
        <Link className="btn" to={`/projects/${projectId}/review`} title="Accept, reject or fix submitted annotations">
          Review
        </Link>
        {manages && (
          <Link className="btn" to={`/projects/${projectId}/settings`}>
            Settings
          </Link>
        )}
        <a
          className="btn primary"
          href={`/projects/${projectId}/label${activeId !== undefined ? `?view=${activeId}` : ""}`}
          title="Label the tasks of this tab in its filter and order, one after another"
          onClick={(e) => {
            e.preventDefault();
            openLabeling();
          }}
        >
          {activeFilters > 0 || state.ordering.length > 0 ? "Label tasks as displayed" : "Label all tasks"}
        </a>
      </div>
      <ViewTabs
        views={tabs.list}
        activeId={tabs.active?.id ?? null}
        saving={tabs.saving}
        onSelect={tabs.select}
        onAdd={tabs.add}
        onRename={tabs.rename}
        onDelete={tabs.remove}
      />
      {tabs.views.isError && (
        <p className="alert error" style={{ margin: "8px 20px 0" }}>
          Could not load the tabs: {errorMessage(tabs.views.error)}
        </p>
      )}
      <div className="toolbar">
        <button
          className={`btn${showFilters ? " active" : ""}`}
          aria-expanded={showFilters}
          onClick={() => setShowFilters((s) => !s)}
        >
          Filters {activeFilters > 0 && <span className="badge">{activeFilters}</span>}
        </button>
        <ColumnsMenu columns={columns} hidden={state.hidden} onChange={(hidden) => tabs.update({ hidden })} />
        <div className="row" role="group" aria-label="Layout" style={{ gap: 0 }}>
          <button
            className={`btn seg${state.type === "list" ? " active" : ""}`}
            aria-pressed={state.type === "list"}
            onClick={() => tabs.update({ type: "list" })}
          >
            List
          </button>
          <button
            className={`btn seg${state.type === "grid" ? " active" : ""}`}
            aria-pressed={state.type === "grid"}
            onClick={() => tabs.update({ type: "grid" })}
          >
            Grid
          </button>
        </div>
        <span className="count" aria-live="polite" data-testid="task-count">
          {rows.isLoading && !rows.totals ? "Loading…" : rows.error && !rows.totals ? "" : plural(rows.total, "task")}
          {rows.totals &&
            ` · ${plural(rows.totals.total_annotations, "annotation")} · ${plural(rows.totals.total_predictions, "prediction")}`}
          {chosen > 0 && ` · ${fmt.format(chosen)} selected`}
        </span>
        <span className="spacer" />
        {manages && (
          <>
            <ActionsMenu
              projectId={projectId}
              count={chosen > 0 ? chosen : rows.total}
              scope={chosen > 0 ? "selected" : "all"}
              body={{ selectedItems: toSelectedItems(selection), filters, ordering: state.ordering }}
              onDone={() => setSelection(NOTHING)}
            />
            <button className="btn" onClick={() => setDialog("import")}>
              Import
            </button>
            <button className="btn" onClick={() => setDialog("export")}>
              Export
            </button>
          </>
        )}
      </div>
      {showFilters && (
        <FilterPanel
          columns={columns}
          rows={state.rows}
          conjunction={state.conjunction}
          onChange={(r: FilterRow[], conjunction: Conjunction) => tabs.update({ rows: r, conjunction })}
        />
      )}
      <div className="table-wrap">
        {state.type === "grid" ? (
          <TaskGrid
            columns={visible}
            rows={rows}
            selection={selection}
            onSelect={setSelection}
            onRange={onRange}
            resetKey={query}
            onOpen={openTask}
            filtered={activeFilters > 0}
            onImport={manages ? () => setDialog("import") : undefined}
          />
        ) : (
          <TaskTable
            columns={visible}
            rows={rows}
            users={userMap}
            selection={selection}
            onSelect={setSelection}
            ordering={state.ordering}
            onSort={(id) => tabs.update({ ordering: nextOrdering(state.ordering, id) })}
            onRange={onRange}
            resetKey={query}
            onOpen={openTask}
            onResize={(id, width) => tabs.update({ widths: { ...state.widths, [id]: width } })}
            filtered={activeFilters > 0}
            onImport={manages ? () => setDialog("import") : undefined}
          />
        )}
        {rows.error && (
          <div className="table-status" role="alert">
            <span style={{ color: "var(--danger)" }}>Could not load tasks: {errorMessage(rows.error)}</span>
            <button className="btn small" onClick={rows.retry}>
              Retry
            </button>
          </div>
        )}
      </div>
      {dialog === "import" && (
        <ImportDialog projectId={projectId} requiredKeys={needKeys} onClose={() => setDialog(null)} />
      )}
      {dialog === "export" && (
        <ExportDialog
          projectId={projectId}
          viewId={tabs.active?.id ?? null}
          filteredCount={activeFilters > 0 ? rows.total : null}
          flush={tabs.flush}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
