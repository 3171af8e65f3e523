/** /projects/:id/dashboard: progress over time, each annotator's throughput, agreement and accuracy, the label
 * distribution and review outcomes, as charts, with each table of numbers downloadable as CSV. */
import { useQuery } from "@tanstack/react-query";
import type { ChartConfiguration } from "chart.js";
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { errorMessage } from "../api/client";
import { getDashboard, getProject, keys } from "../api/endpoints";
import type { Dashboard } from "../api/types";
import { Chart } from "../components/Chart";

const ACCENT = "#b45309";
const SOFT = "#fbbf24";
const GREY = "#9ca3af";
const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

function charts(d: Dashboard): Record<string, ChartConfiguration> {
  return {
    progress: {
      type: "bar",
      data: {
        labels: d.progress.map((r) => r.day),
        datasets: [
          {
            type: "bar",
            label: "Annotations that day",
            data: d.progress.map((r) => r.annotations),
            backgroundColor: SOFT,
          },
          {
            type: "line",
            label: "Tasks finished, in all",
            data: d.progress.map((r) => r.finished_total),
            borderColor: ACCENT,
            backgroundColor: ACCENT,
          },
        ],
      },
    },
    annotators: {
      type: "bar",
      data: {
        labels: d.annotators.map((a) => a.email || `User ${a.user}`),
        datasets: [
          { label: "Annotations", data: d.annotators.map((a) => a.annotations), backgroundColor: SOFT },
          { label: "Tasks per hour", data: d.annotators.map((a) => a.tasks_per_hour ?? 0), backgroundColor: ACCENT },
        ],
      },
    },
    quality: {
      type: "bar",
      data: {
        labels: d.annotators.map((a) => a.email || `User ${a.user}`),
        datasets: [
          { label: "Agreement", data: d.annotators.map((a) => (a.agreement ?? 0) * 100), backgroundColor: ACCENT },
          { label: "Accuracy", data: d.annotators.map((a) => (a.accuracy ?? 0) * 100), backgroundColor: SOFT },
        ],
      },
      options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } },
    },
    labels: {
      type: "bar",
      data: {
        labels: d.labels.map((l) => l.label),
        datasets: [{ label: "Regions and choices", data: d.labels.map((l) => l.count), backgroundColor: ACCENT }],
      },
      options: { indexAxis: "y" },
    },
    reviews: {
      type: "doughnut",
      data: {
        labels: ["Accepted", "Rejected", "Waiting"],
        datasets: [
          {
            data: [d.reviews.accepted, d.reviews.rejected, d.reviews.waiting],
            backgroundColor: [ACCENT, "#dc2626", GREY],
          },
        ],
      },
    },
  };
}

function Section({ title, csv, children }: { title: string; csv?: string; children: React.ReactNode }) {
  return (
    <section className="panel" aria-label={title}>
      <div className="row" style={{ justifyContent: "space-between", marginBottom: 8 }}>
        <h2>{title}</h2>
        {csv && (
          <a className="btn small" href={csv} download>
            Download CSV
          </a>
        )}
      </div>
      {children}
    </section>
  );
}

export function DashboardPage() {
  const projectId = Number(useParams().id);
  const project = useQuery({ queryKey: keys.project(projectId), queryFn: () => getProject(projectId) });
  const dash = useQuery({
    queryKey: keys.dashboard(projectId),
    queryFn: () => getDashboard(projectId),
    // Stale figures are being computed again: look for the new ones shortly.
    refetchInterval: (q) => (q.state.data?.stale ? 3000 : false),
  });
  const configs = useMemo(() => (dash.data ? charts(dash.data) : null), [dash.data]);
  const csv = (section: string) => `/api/projects/${projectId}/dashboard/${section}.csv`;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/projects">Projects</Link> /{" "}
            <Link to={`/projects/${projectId}`}>{project.data?.title ?? "…"}</Link> /
          </p>
          <h1>Dashboard</h1>
          {dash.data && dash.data.computed_at === null && <p className="sub">Computing the figures…</p>}
          {dash.data && dash.data.computed_at !== null && (
            <p className="sub">
              Agreement across the project: {pct(dash.data.agreement)} · figures as of{" "}
              {new Date(dash.data.computed_at).toLocaleTimeString()}
              {dash.data.stale && " (updating with the latest work…)"}
            </p>
          )}
        </div>
      </div>
      {dash.isPending && <p className="muted">Loading the figures…</p>}
      {dash.isError && <p className="alert error">Could not load the dashboard: {errorMessage(dash.error)}</p>}
      {dash.data && configs && (
        <div className="dashboard">
          <Section title="Progress" csv={csv("progress")}>
            <Chart config={configs.progress} label="Annotations per day and tasks finished over time" />
          </Section>
          <Section title="Throughput" csv={csv("annotators")}>
            <Chart config={configs.annotators} label="Annotations and tasks per hour of each annotator" />
          </Section>
          <Section title="Agreement and accuracy">
            <Chart config={configs.quality} label="Each annotator's agreement with the others and accuracy" />
          </Section>
          <Section title="Labels" csv={csv("labels")}>
            <Chart config={configs.labels} label="How often each label was used" />
          </Section>
          <Section title="Reviews">
            <Chart
              config={configs.reviews}
              label="Annotations accepted, rejected and waiting for review"
              height={200}
            />
          </Section>
          <Section title="Annotators">
            <table className="simple-table" data-testid="annotator-table">
              <thead>
                <tr>
                  <th>Annotator</th>
                  <th>Annotations</th>
                  <th>Skipped</th>
                  <th>Tasks / hour</th>
                  <th>Median lead time</th>
                  <th>Agreement</th>
                  <th>Accuracy</th>
                  <th>Accepted</th>
                  <th>Rejected</th>
                </tr>
              </thead>
              <tbody>
                {dash.data.annotators.map((a) => (
                  <tr key={a.user}>
                    <td>{a.email}</td>
                    <td>{a.annotations.toLocaleString()}</td>
                    <td>{a.skipped.toLocaleString()}</td>
                    <td>{a.tasks_per_hour ?? "—"}</td>
                    <td>{a.median_lead_time === null ? "—" : `${a.median_lead_time.toFixed(1)} s`}</td>
                    <td>{pct(a.agreement)}</td>
                    <td>{pct(a.accuracy)}</td>
                    <td>{a.reviews_accepted}</td>
                    <td>{a.reviews_rejected}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
        </div>
      )}
    </div>
  );
}
