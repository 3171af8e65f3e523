/** Every client route, in one place (the server returns index.html for each of them). */
import { lazy, Suspense } from "react";
import { Navigate, Route, Routes, useLocation, useParams } from "react-router-dom";
import { Layout } from "./components/Layout";
import { AccountPage } from "./pages/AccountPage";
import { DataManagerPage } from "./pages/DataManagerPage";
import { NewProjectPage } from "./pages/NewProjectPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OrganizationPage } from "./pages/OrganizationPage";
import { ProjectsPage } from "./pages/ProjectsPage";
import { SettingsPage } from "./pages/settings/SettingsPage";

// The editor is its own chunk: the project and data-manager pages do not download it.
const LabelingPage = lazy(() => import("./pages/LabelingPage").then((m) => ({ default: m.LabelingPage })));
// So are the review stream (the editor again) and the dashboard, with its charting library.
const ReviewPage = lazy(() => import("./pages/ReviewPage").then((m) => ({ default: m.ReviewPage })));
const DashboardPage = lazy(() => import("./pages/DashboardPage").then((m) => ({ default: m.DashboardPage })));

const labeling = (
  <Suspense
    fallback={
      <p className="hint" style={{ padding: 20 }}>
        Loading the editor…
      </p>
    }
  >
    <LabelingPage />
  </Suspense>
);

/** Label Studio's data-manager address, /projects/:id/data?tab=V[&task=T], so bookmarks and links from it
 * work here: the project's data manager on that tab, or that task in the labeling stream of the tab. */
function LabelStudioDataUrl() {
  const { id } = useParams();
  const params = new URLSearchParams(useLocation().search);
  const tab = params.get("tab");
  const task = params.get("task");
  const to = task
    ? `/projects/${id}/label/${task}${tab ? `?view=${tab}` : ""}`
    : `/projects/${id}${tab ? `?tab=${tab}` : ""}`;
  return <Navigate to={to} replace />;
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/projects" replace />} />
        <Route path="/projects" element={<ProjectsPage />} />
        <Route path="/projects/new" element={<NewProjectPage />} />
        <Route path="/projects/:id" element={<DataManagerPage />} />
        <Route path="/projects/:id/data" element={<LabelStudioDataUrl />} />
        <Route
          path="/projects/:id/review"
          element={
            <Suspense fallback={<p className="hint">Loading the editor…</p>}>
              <ReviewPage />
            </Suspense>
          }
        />
        <Route
          path="/projects/:id/dashboard"
          element={
            <Suspense fallback={<p className="hint">Loading…</p>}>
              <DashboardPage />
            </Suspense>
          }
        />
        {/* One route for every section, so unsaved edits survive moving between them; the sections are listed in
            pages/settings/SettingsPage.tsx, one file each. */}
        <Route path="/projects/:id/settings/:section?" element={<SettingsPage />} />
        <Route path="/projects/:id/label" element={labeling} />
        <Route path="/projects/:id/label/:taskId" element={labeling} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/organization" element={<OrganizationPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
