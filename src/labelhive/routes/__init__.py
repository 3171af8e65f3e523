"""Every router, in one list: finding the handler for a URL starts here."""
from . import (annotations, assignments, comments, dashboard, data, dm, drafts, exports, file_uploads, home,
               imports, jobs, labels, login, meta, ml, organizations, predictions, presign, project_members,
               projects, reviews, spa, stats, storages, tasks, users, webhooks)

ROUTERS = [meta.router, home.router, login.router, users.router, organizations.router, projects.router,
           project_members.router, assignments.router, imports.router, file_uploads.router, exports.router,
           tasks.router, annotations.router, reviews.router, comments.router, drafts.router, predictions.router,
           dm.router, storages.router, ml.router, webhooks.router, jobs.router, labels.router, data.router,
           stats.router, dashboard.router, presign.router, spa.router]
