"""/api/labels: Label Studio's label library. LabelHive keeps labels in each project's config only, so the
library is empty, as it is on a Label Studio CE server where nobody filled it."""
from fastapi import APIRouter

from ..deps import CurrentUser
from ..responses import ok

router = APIRouter(prefix="/api/labels", tags=["labels"])


@router.get("", operation_id="list_labels")
def list_labels(user: CurrentUser):
    return ok({"count": 0, "next": None, "previous": None, "results": []})
