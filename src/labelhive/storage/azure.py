"""Azure Blob Storage through azure-storage-blob, imported on first use. `azure_endpoint` points the
client somewhere other than https://{account}.blob.core.windows.net, such as Azurite."""
import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import ClassVar

from .base import (CONNECT_TIMEOUT_S, READ_TIMEOUT_S, Blob, MissingObject, StorageError, byte_range, check_endpoint,
                   content_type, folder, key_filter)

HINTS = {
    "AuthenticationFailed": "the account key was refused: check account_name and account_key.",
    "AuthorizationFailure": "the account key was refused, or this account may not access container "
                            "'{container}': check account_name and account_key.",
    "AuthorizationPermissionMismatch": "this account may not access container '{container}'.",
    "ContainerNotFound": "there is no container '{container}' in this account: check container and account_name.",
    "InvalidResourceName": "'{container}' is not a valid container name.",
}


class AzureBlob:
    scheme: ClassVar[str] = "azure-blob"

    def __init__(self, settings: dict):
        self.settings = settings
        self.bucket = (settings.get("container") or "").strip()
        self.prefix = folder(settings.get("prefix"))

    @cached_property
    def container(self):
        from azure.storage.blob import BlobServiceClient, LinearRetry

        s = self.settings
        account = (s.get("account_name") or "").strip()
        if not self.bucket or not account or not s.get("account_key"):
            raise StorageError("Give the container, account_name and account_key.")
        if s.get("azure_endpoint"):
            check_endpoint(s["azure_endpoint"], "azure_endpoint")
        elif not re.fullmatch(r"[a-z0-9]{3,24}", account):
            # It goes into the host name: 'x.example.com/?' would point the client at another host.
            raise StorageError(f"account_name '{account}' is not a storage account name (3 to 24 lowercase letters "
                               "and digits).")
        url = (s.get("azure_endpoint") or f"https://{account}.blob.core.windows.net").rstrip("/")
        # permit_redirects=False: azure-core would otherwise follow a redirect to any address, unchecked.
        service = BlobServiceClient(url, credential={"account_name": account, "account_key": s["account_key"]},
                                    retry_policy=LinearRetry(backoff=0.5, random_jitter_range=0.2, retry_total=1),
                                    connection_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                                    permit_redirects=False)
        return service.get_container_client(self.bucket)

    @contextmanager
    def _errors(self, key: str | None = None):
        from azure.core.exceptions import AzureError, HttpResponseError, ResourceNotFoundError, ServiceRequestError

        try:
            yield
        except ResourceNotFoundError as exc:
            code = getattr(exc.error_code, "value", exc.error_code)
            if key is not None and code in ("BlobNotFound", None):
                raise MissingObject(f"{self.task_url(key)} does not exist any more: it was moved or deleted "
                                    "after the sync.") from exc
            raise StorageError(f"Azure refused the request: {self._hint(code or 'ContainerNotFound')}") from exc
        except HttpResponseError as exc:
            if exc.status_code is None:  # raised before sending: the key could not sign the request
                raise StorageError(f"account_key is not a valid storage account key ({exc}).") from exc
            code = getattr(exc.error_code, "value", exc.error_code)
            hint = self._hint(code) or (self._hint("AuthenticationFailed") if exc.status_code == 403
                                        else f"{exc.message.splitlines()[0] if exc.message else exc}")
            raise StorageError(f"Azure refused the request ({code or exc.status_code}): {hint}") from exc
        except ServiceRequestError as exc:
            raise StorageError(f"Cannot connect to {self.container.url}: check account_name (and azure_endpoint), "
                               "and that the server is reachable from LabelHive.") from exc
        except (AzureError, ValueError) as exc:  # ValueError: an account key that is not base64
            raise StorageError(f"Azure request failed: {exc}. Check account_key.") from exc

    def _hint(self, code: str | None) -> str:
        return HINTS.get(code or "", "").format(container=self.bucket)

    def validate(self) -> None:
        with self._errors():
            self.container.get_container_properties()

    def list_keys(self) -> Iterator[str]:
        wanted = key_filter(self.settings.get("regex_filter"))
        with self._errors():
            if self.settings.get("recursive_scan", True):
                names = (b.name for b in self.container.list_blobs(name_starts_with=self.prefix or None))
            else:  # walk_blobs yields BlobPrefix items for the sub-folders; those have no blob properties
                names = (b.name for b in self.container.walk_blobs(name_starts_with=self.prefix or None,
                                                                   delimiter="/") if hasattr(b, "size"))
            for name in names:
                if wanted(name):
                    yield name

    def read(self, key: str) -> bytes:
        with self._errors(key):
            return self.container.download_blob(key).readall()

    def write(self, key: str, data: bytes) -> None:
        from azure.storage.blob import ContentSettings

        settings = ContentSettings(content_type=mimetypes.guess_type(key)[0] or "application/json")
        with self._errors():
            self.container.upload_blob(key, data, overwrite=True, content_settings=settings)

    def delete(self, key: str) -> None:
        from azure.core.exceptions import ResourceNotFoundError

        with self._errors():
            try:
                self.container.delete_blob(key)
            except ResourceNotFoundError:
                pass

    def task_url(self, key: str) -> str:
        return f"azure-blob://{self.bucket}/{key}"

    def export_key(self, annotation_id: int) -> str:
        return f"{self.prefix}{annotation_id}"

    def presigned_url(self, key: str, ttl_s: int) -> str:
        from azure.storage.blob import BlobSasPermissions, generate_blob_sas

        with self._errors():
            blob = self.container.get_blob_client(key)
            sas = generate_blob_sas(blob.account_name, self.bucket, key, account_key=self.settings["account_key"],
                                    permission=BlobSasPermissions(read=True),
                                    expiry=datetime.now(timezone.utc) + timedelta(seconds=ttl_s))
            return f"{blob.url}?{sas}"

    def open(self, key: str, range_header: str | None) -> Blob:
        with self._errors(key):
            blob = self.container.get_blob_client(key)
            props = blob.get_blob_properties()
            span = byte_range(range_header, props.size)
            if span:
                stream = blob.download_blob(offset=span[0], length=span[1] - span[0] + 1)
            else:
                stream = blob.download_blob()
        return Blob(chunks=stream.chunks(), content_type=content_type(props.content_settings.content_type, key),
                    length=span[1] - span[0] + 1 if span else props.size,
                    content_range=f"bytes {span[0]}-{span[1]}/{props.size}" if span else None,
                    etag=props.etag, last_modified=props.last_modified)
