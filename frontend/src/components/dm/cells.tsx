/** How each kind of column shows a task's value. */
import { useState } from "react";
import { thumbnailUrl } from "../../api/endpoints";
import type { Task, User } from "../../api/types";
import type { Column } from "../../lib/columns";
import { fileName } from "../../lib/fileName";

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function Thumbnail({
  taskId,
  field,
  size,
  className,
}: {
  taskId: number;
  field: string;
  size: number;
  className: string;
}) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <span
        className={className === "thumb" ? "thumb-missing" : "muted"}
        title="No preview: the image could not be loaded"
      >
        {className === "thumb" ? "?" : "No preview"}
      </span>
    );
  }
  return (
    <img
      className={className}
      src={thumbnailUrl(taskId, field, size)}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}

export function dataText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function isNumeric(column: Column): boolean {
  return column.kind === "id" || column.kind === "number" || column.kind === "score" || column.type === "Number";
}

export function CellValue({ column, task, users }: { column: Column; task: Task; users: Map<number, User> }) {
  switch (column.kind) {
    case "id":
      return <>{task.id}</>;
    case "date":
      return task.completed_at ? <>{dateFmt.format(new Date(task.completed_at))}</> : null;
    case "number": {
      const key = column.id.slice("tasks:".length) as
        "total_annotations" | "cancelled_annotations" | "total_predictions" | "reviews_accepted" | "reviews_rejected";
      return <>{task[key]}</>;
    }
    case "score":
      return task.predictions_score === null || task.predictions_score === undefined ? null : (
        <>{Number(task.predictions_score).toFixed(2)}</>
      );
    case "agreement":
      // Null until two annotators labeled the task.
      return task.agreement === null || task.agreement === undefined ? null : <>{Math.round(task.agreement * 100)}%</>;
    case "versions":
      return <span title={task.predictions_model_versions}>{task.predictions_model_versions}</span>;
    case "annotators":
      return (
        <>
          {(task[column.id.slice("tasks:".length) as "annotators" | "assignees" | "review_assignees"] ?? []).map(
            (id) => {
              const u = users.get(id);
              return (
                <span key={id} className="initials" title={u?.email ?? `User ${id}`}>
                  {u?.initials ?? id}
                </span>
              );
            },
          )}
        </>
      );
    case "image": {
      const value = task.data?.[column.field!];
      if (!value) return null;
      const url = dataText(value);
      return (
        <span className="image-cell" title={url.length > 500 ? url.slice(0, 500) : url}>
          <Thumbnail taskId={task.id} field={column.field!} size={128} className="thumb" />
          <span className="file-name">{fileName(url)}</span>
        </span>
      );
    }
    case "data": {
      const text = dataText(task.data?.[column.field!]);
      return <span title={text.length > 40 ? text.slice(0, 500) : undefined}>{text}</span>;
    }
  }
}
