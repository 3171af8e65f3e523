"""Every router, in one list: finding the handler for a URL starts here."""
from . import (annotations, data, dm, drafts, exports, home, imports, login, meta, predictions, projects, spa,
               storages, tasks, users)

ROUTERS = [meta.router, home.router, login.router, users.router, projects.router, imports.router, exports.router,
           tasks.router, annotations.router, drafts.router, predictions.router, dm.router, storages.router,
           data.router, spa.router]
