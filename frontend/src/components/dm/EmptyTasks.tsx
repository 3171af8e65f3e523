/** What an empty task list says: a project with no tasks at all is new, not over-filtered, so point at the import. */
export function EmptyTasks({ filtered, onImport }: { filtered: boolean; onImport?: () => void }) {
  if (filtered) return <p className="table-empty">No tasks match.</p>;
  return (
    <div className="table-empty">
      <p>
        <b>No tasks yet</b>
      </p>
      <p className="hint">Import files, a URL, or a folder on this server.</p>
      {onImport && (
        <button className="btn small primary" onClick={onImport}>
          Import data
        </button>
      )}
    </div>
  );
}
