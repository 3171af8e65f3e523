"""SQLAlchemy tables. Names follow Label Studio's, because they are on the wire."""
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Json = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


def created() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def updated() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False)


class Organization(Base):
    __tablename__ = "organization"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = created()
    # The secret in the invite link (/user/signup/?token=...); resetting it revokes every link handed out.
    invite_token: Mapped[str | None] = mapped_column(String(64))


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    username: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(256), default="")
    last_name: Mapped[str] = mapped_column(String(256), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Label Studio Enterprise's role codes: OW owner, AD administrator, MA manager, RE reviewer, AN annotator,
    # DI deactivated (is_active is false then too).
    role: Mapped[str] = mapped_column(String(2), default="AD", server_default="AD")
    # Bumped when the user's token, sessions, password, role or activity change (auth.credentials_changed):
    # every web process checks it before trusting its cached login, so a revoked credential stops at once.
    auth_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The user's own shortcuts for the editor, in Label Studio's shape: {"section:action": {"key", "active"}}.
    custom_hotkeys: Mapped[dict | None] = mapped_column(Json)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    date_joined: Mapped[datetime] = created()
    last_activity: Mapped[datetime] = created()


class Token(Base):
    __tablename__ = "token"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = created()


class LoginSession(Base):
    __tablename__ = "login_session"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Project(Base):
    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(1000), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    label_config: Mapped[str] = mapped_column(Text, default="<View></View>")
    expert_instruction: Mapped[str] = mapped_column(Text, default="")
    show_instruction: Mapped[bool] = mapped_column(Boolean, default=False)
    show_skip_button: Mapped[bool] = mapped_column(Boolean, default=True)
    enable_empty_annotation: Mapped[bool] = mapped_column(Boolean, default=True)
    show_annotation_history: Mapped[bool] = mapped_column(Boolean, default=False)
    color: Mapped[str] = mapped_column(String(16), default="#FFFFFF")
    maximum_annotations: Mapped[int] = mapped_column(Integer, default=1)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    model_version: Mapped[str] = mapped_column(Text, default="")
    min_annotations_to_start_training: Mapped[int] = mapped_column(Integer, default=0)
    start_training_on_annotation_update: Mapped[bool] = mapped_column(Boolean, default=False)
    show_collab_predictions: Mapped[bool] = mapped_column(Boolean, default=True)
    evaluate_predictions_automatically: Mapped[bool] = mapped_column(Boolean, default=False)
    sampling: Mapped[str] = mapped_column(String(100), default="Sequential sampling")
    show_ground_truth_first: Mapped[bool] = mapped_column(Boolean, default=False)
    show_overlap_first: Mapped[bool] = mapped_column(Boolean, default=False)
    overlap_cohort_percentage: Mapped[int] = mapped_column(Integer, default=100)
    skip_queue: Mapped[str] = mapped_column(String(100), default="REQUEUE_FOR_OTHERS")
    # "auto_distribution": the stream serves any task left (assigned ones first); "assigned_only": an Annotator's
    # or Reviewer's stream serves only the tasks assigned to them (Label Studio Enterprise's setting).
    task_distribution: Mapped[str] = mapped_column(String(32), default="auto_distribution",
                                                   server_default="auto_distribution")
    # Honeypots: this percentage of an annotator's /next serves a ground-truth task they have not labeled, not
    # marked as such, so their accuracy keeps being measured.
    honeypot_percentage: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Whether Annotators read the other annotators' annotations of the tasks they open (off: only their own).
    annotators_see_others: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reveal_preannotations_interactively: Mapped[bool] = mapped_column(Boolean, default=False)
    control_weights: Mapped[dict] = mapped_column(Json, default=dict)
    # {data key: {value kind: tasks}}; NULL until counted (services/data_columns.py).
    data_columns: Mapped[dict | None] = mapped_column(Json, nullable=True, default=dict)
    pinned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class FileUpload(Base):
    __tablename__ = "file_upload"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    file: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = created()


class ProjectMember(Base):
    """An Annotator or Reviewer added to a project: they see and work in these projects only (Managers and up
    see every project of the organization)."""
    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "user_id", name="uq_project_member"),
                      Index("ix_project_member_user", "user_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = created()


class TaskAssignment(Base):
    """A task given to a member: to annotate ("AN") or to review ("RE"), Label Studio Enterprise's assignments.
    With the project's task_distribution "assigned_only", annotators are served only the tasks given to them."""
    __tablename__ = "task_assignment"
    __table_args__ = (UniqueConstraint("task_id", "user_id", "type", name="uq_task_assignment"),
                      Index("ix_task_assignment_user", "user_id", "project_id", "type"))
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(2), default="AN")
    created_at: Mapped[datetime] = created()


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (Index("ix_task_project_id_id", "project_id", "id"),
                      Index("ix_task_project_updated", "project_id", "updated_at"),
                      Index("ix_task_project_counts", "project_id", "total_annotations", "total_predictions"),
                      Index("ix_task_project_agreement", "project_id", "agreement"))
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    data: Mapped[dict] = mapped_column(Json)
    meta: Mapped[dict] = mapped_column(Json, default=dict)
    inner_id: Mapped[int] = mapped_column(Integer, default=0)
    overlap: Mapped[int] = mapped_column(Integer, default=1)
    is_labeled: Mapped[bool] = mapped_column(Boolean, default=False)
    total_annotations: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_annotations: Mapped[int] = mapped_column(Integer, default=0)
    total_predictions: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    file_upload_id: Mapped[int | None] = mapped_column(ForeignKey("file_upload.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The big import that wrote this task in chunks (ImportBatch): what is deleted if that import fails midway.
    import_batch_id: Mapped[int | None] = mapped_column(Integer)
    # The mean agreement of its annotators' pairs (services/agreement.py); null with fewer than two annotators.
    agreement: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class AgreementPair(Base):
    """How far two annotators agreed on one task: the pair's score and each label's (services/agreement.py).
    user_a < user_b."""
    __tablename__ = "agreement_pair"
    __table_args__ = (Index("ix_agreement_pair_project_users", "project_id", "user_a", "user_b"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    user_a: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    user_b: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    labels: Mapped[dict | None] = mapped_column(Json)


class DashboardSnapshot(Base):
    """A project's dashboard figures as last computed (services/dashboard.py), so the page answers at once at any
    size; `version` says which state of the annotations they describe, and a stale one is refreshed by a job."""
    __tablename__ = "dashboard_snapshot"
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict] = mapped_column(Json)
    computed_at: Mapped[datetime] = created()


class ImportBatch(Base):
    """A big import committed in chunks, so other writers get the database between them. While it runs it
    holds a lease (renewed with each chunk); if its process dies, the sweep deletes what it wrote and marks it
    failed, so an import is still all or nothing."""
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(32), default="running")
    error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Annotation(Base):
    __tablename__ = "annotation"
    __table_args__ = (Index("ix_annotation_author_project", "completed_by_id", "project_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    result: Mapped[list] = mapped_column(Json, default=list)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    was_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    ground_truth: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_time: Mapped[float | None] = mapped_column(Float)
    unique_id: Mapped[str] = mapped_column(String(64))
    import_id: Mapped[int | None] = mapped_column(Integer)
    last_action: Mapped[str | None] = mapped_column(String(128))
    parent_prediction_id: Mapped[int | None] = mapped_column(ForeignKey("prediction.id", ondelete="SET NULL"))
    parent_annotation_id: Mapped[int | None] = mapped_column(ForeignKey("annotation.id", ondelete="SET NULL"))
    draft_created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bulk_created: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last review's verdict: null while waiting for one (never reviewed, or changed by its author after a
    # rejection), "accepted" or "rejected" (services/reviews.py keeps it).
    review_state: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class AnnotationReview(Base):
    """A reviewer's verdict on an annotation (Label Studio Enterprise's annotation review). A fix-and-accept
    carries the reviewer's `result`, which replaced the annotation's; `previous_result` keeps what it was."""
    __tablename__ = "annotation_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotation.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    accepted: Mapped[bool] = mapped_column(Boolean)
    reject_action: Mapped[str | None] = mapped_column(String(16))
    result: Mapped[list | None] = mapped_column(Json)
    previous_result: Mapped[list | None] = mapped_column(Json)
    created_at: Mapped[datetime] = created()


class Comment(Base):
    """A comment on a task, an annotation or a draft: the reason a reviewer gives for a rejection, and replies."""
    __tablename__ = "comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    annotation_id: Mapped[int | None] = mapped_column(ForeignKey("annotation.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    is_resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    region_ref: Mapped[dict | None] = mapped_column(Json)
    classifications: Mapped[dict | None] = mapped_column(Json)
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class Prediction(Base):
    __tablename__ = "prediction"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    result: Mapped[list] = mapped_column(Json, default=list)
    score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(Text, default="")
    cluster: Mapped[int | None] = mapped_column(Integer)
    neighbors: Mapped[dict | None] = mapped_column(Json)
    mislabeling: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class Draft(Base):
    """Unsaved work of one user on one task (or on one of their annotations), autosaved by the editor."""
    __tablename__ = "draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    annotation_id: Mapped[int | None] = mapped_column(ForeignKey("annotation.id", ondelete="CASCADE"))
    result: Mapped[list] = mapped_column(Json, default=list)
    lead_time: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class Storage(Base):
    """A project's import or export storage: a local directory or a cloud bucket. Settings differ by
    type (path, bucket, prefix, credentials...), so they live in one JSON column."""
    __tablename__ = "storage"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "import" or "export"
    type: Mapped[str] = mapped_column(String(32))  # "localfiles", "s3", "azure", "gcs"
    title: Mapped[str] = mapped_column(String(2048), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[dict] = mapped_column(Json, default=dict)
    status: Mapped[str] = mapped_column(String(32), default="initialized")
    last_sync: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sync_count: Mapped[int | None] = mapped_column(Integer)
    last_sync_job: Mapped[str | None] = mapped_column(String(256))
    traceback: Mapped[str | None] = mapped_column(Text)
    # The last sync's timings and counts, in Label Studio's keys (services/storages.py stamps them).
    meta: Mapped[dict | None] = mapped_column(Json)
    # While a sync is queued or running, the process holding it renews this (services/leases.py).
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created()


class StorageLink(Base):
    """Which storage object a task came from, so a second sync only adds new objects."""
    __tablename__ = "storage_link"
    # Not unique: one task file can hold many tasks, all linked to the same key.
    __table_args__ = (Index("ix_storage_link_key", "storage_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    storage_id: Mapped[int] = mapped_column(ForeignKey("storage.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(4096))
    created_at: Mapped[datetime] = created()


class MLBackend(Base):
    __tablename__ = "ml_backend"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(String(2048), default="default")
    description: Mapped[str] = mapped_column(Text, default="")
    is_interactive: Mapped[bool] = mapped_column(Boolean, default=False)
    auth_method: Mapped[str] = mapped_column(String(32), default="NONE")
    basic_auth_user: Mapped[str | None] = mapped_column(String(256))
    basic_auth_pass: Mapped[str | None] = mapped_column(String(256))
    extra_params: Mapped[dict | None] = mapped_column(Json)
    timeout: Mapped[float] = mapped_column(Float, default=100.0)
    model_version: Mapped[str] = mapped_column(Text, default="")
    auto_update: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(8), default="DI")
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class Webhook(Base):
    __tablename__ = "webhook"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    ml_backend_id: Mapped[int | None] = mapped_column(ForeignKey("ml_backend.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    send_payload: Mapped[bool] = mapped_column(Boolean, default=True)
    send_for_all_actions: Mapped[bool] = mapped_column(Boolean, default=True)
    actions: Mapped[list] = mapped_column(Json, default=list)
    headers: Mapped[dict] = mapped_column(Json, default=dict)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class Job(Base):
    """A background job (a conversion, a webhook delivery, retrieving predictions, ...): its state, progress,
    attempts, lease and error, read by the UI from any process. `args` are what it was queued with, so another
    process can run it again (services/background.py)."""
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_finished", "status", "finished_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="queued")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict] = mapped_column(Json, default=dict)
    args: Mapped[dict | None] = mapped_column(Json)
    error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = created()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProjectTaskStats(Base):
    """A project's task count and annotation/prediction sums, kept by database triggers (migration 0012), so a
    page of a million-task project needs no count over its tasks. Read only: never written by the app."""
    __tablename__ = "project_task_stats"
    project_id: Mapped[int] = mapped_column(primary_key=True)
    tasks: Mapped[int] = mapped_column(BigInteger, default=0)
    annotations: Mapped[int] = mapped_column(BigInteger, default=0)
    predictions: Mapped[int] = mapped_column(BigInteger, default=0)


class View(Base):
    __tablename__ = "view"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(Json, default=dict)
    order: Mapped[int] = mapped_column(Integer, default=0)


class ExportSnapshot(Base):
    __tablename__ = "export_snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(2048), default="")
    status: Mapped[str] = mapped_column(String(64), default="created")
    file: Mapped[str | None] = mapped_column(String(1000))
    md5: Mapped[str | None] = mapped_column(String(128))
    counters: Mapped[dict] = mapped_column(Json, default=dict)
    options: Mapped[dict] = mapped_column(Json, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    # Other formats made from this snapshot in the background (POST .../convert): Label Studio's
    # converted_formats entries, plus the file each one wrote.
    converted: Mapped[list | None] = mapped_column(Json)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Which run may write the row: a run whose process was taken for dead is retried as the next attempt.
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = created()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
