"""Google Cloud Storage through google-cloud-storage, imported on first use.

`google_application_credentials` holds the service-account JSON key itself (not a path). `gcs_endpoint`
points the client at an emulator; as with the SDK's own STORAGE_EMULATOR_HOST, requests to it are not
authenticated, and the key, when given, only signs presigned URLs.
"""
import json
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cached_property
from typing import ClassVar

from .base import (CONNECT_TIMEOUT_S, READ_TIMEOUT_S, Blob, MissingObject, StorageError, byte_range, check_endpoint,
                   chunked, content_type, folder, key_filter)

TIMEOUT = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S)


class GCS:
    scheme: ClassVar[str] = "gs"

    def __init__(self, settings: dict):
        self.settings = settings
        self.bucket = (settings.get("bucket") or "").strip()
        self.prefix = folder(settings.get("prefix"))

    @cached_property
    def credentials(self):
        """Service-account credentials from the pasted JSON key, or None when none was given."""
        text = self.settings.get("google_application_credentials")
        if not text:
            return None
        from google.oauth2 import service_account

        try:
            info = json.loads(text) if isinstance(text, str) else text
            return service_account.Credentials.from_service_account_info(info)
        except (ValueError, KeyError, TypeError) as exc:
            raise StorageError("google_application_credentials is not a service-account JSON key: paste the whole "
                               f"key file's contents ({exc}).") from exc

    @cached_property
    def client(self):
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import storage

        if not self.bucket:
            raise StorageError("Give the bucket name.")
        endpoint = self.settings.get("gcs_endpoint")
        project = self.settings.get("google_project_id") or getattr(self.credentials, "project_id", None)
        if endpoint:
            import requests

            check_endpoint(endpoint, "gcs_endpoint")
            # Requests to an emulator are not authenticated anyway, so a plain session does; one that follows
            # no redirects (requests would follow one to any address, unchecked) and ignores proxy variables.
            http = requests.Session()
            http.max_redirects, http.trust_env = 0, False
            return storage.Client(project=project or "emulator", credentials=AnonymousCredentials(), _http=http,
                                  client_options={"api_endpoint": endpoint.rstrip("/")})
        if self.credentials is None:
            # Falling back to the machine's default credentials would quietly use whatever account the server runs as.
            raise StorageError("Paste a service-account JSON key into google_application_credentials.")
        return storage.Client(project=project, credentials=self.credentials)

    @cached_property
    def _bucket(self):
        return self.client.bucket(self.bucket)

    @cached_property
    def _retry(self):
        from google.cloud.storage.retry import DEFAULT_RETRY

        return DEFAULT_RETRY.with_timeout(CONNECT_TIMEOUT_S)

    @contextmanager
    def _errors(self, key: str | None = None):
        from google.api_core import exceptions as gexc
        from google.auth.exceptions import GoogleAuthError, TransportError
        from requests.exceptions import RequestException

        try:
            yield
        except gexc.NotFound as exc:
            if key is not None:
                raise MissingObject(f"{self.task_url(key)} does not exist any more: it was moved or deleted "
                                    "after the sync.") from exc
            raise StorageError(f"There is no bucket '{self.bucket}': check the bucket name and google_project_id.") \
                from exc
        except (gexc.Forbidden, gexc.Unauthorized) as exc:
            raise StorageError(f"Google Cloud Storage refused the request ({exc.code}): the service account may "
                               f"not use bucket '{self.bucket}'; give it Storage Object Viewer (and Creator for an "
                               "export storage).") from exc
        except gexc.GoogleAPICallError as exc:
            raise StorageError(f"Google Cloud Storage refused the request: {exc.message}") from exc
        except (RequestException, gexc.RetryError, TransportError) as exc:
            raise StorageError(f"Cannot connect to {self.settings.get('gcs_endpoint') or 'Google Cloud Storage'}: "
                               "check gcs_endpoint and that the server is reachable from LabelHive.") from exc
        except GoogleAuthError as exc:
            raise StorageError(f"Google refused the service-account key: {exc}. Check "
                               "google_application_credentials.") from exc

    def validate(self) -> None:
        with self._errors():
            self.credentials  # noqa: B018 -- raises when the key is not a key
            # Listing needs only object permissions, which is what a sync uses; reading bucket metadata needs more.
            next(iter(self.client.list_blobs(self.bucket, prefix=self.prefix or None, max_results=1, timeout=TIMEOUT,
                                             retry=self._retry)), None)

    def list_keys(self) -> Iterator[str]:
        wanted = key_filter(self.settings.get("regex_filter"))
        delimiter = None if self.settings.get("recursive_scan", True) else "/"
        with self._errors():
            for blob in self.client.list_blobs(self.bucket, prefix=self.prefix or None, delimiter=delimiter,
                                               timeout=TIMEOUT, retry=self._retry):
                if wanted(blob.name):
                    yield blob.name

    def read(self, key: str) -> bytes:
        with self._errors(key):
            return self._bucket.blob(key).download_as_bytes(timeout=TIMEOUT, retry=self._retry)

    def write(self, key: str, data: bytes) -> None:
        with self._errors():
            self._bucket.blob(key).upload_from_string(data, content_type=mimetypes.guess_type(key)[0] or
                                                      "application/json", timeout=TIMEOUT, retry=self._retry)

    def delete(self, key: str) -> None:
        from google.api_core.exceptions import NotFound

        with self._errors():
            try:
                self._bucket.blob(key).delete(timeout=TIMEOUT, retry=self._retry)
            except NotFound:
                pass

    def task_url(self, key: str) -> str:
        return f"gs://{self.bucket}/{key}"

    def export_key(self, annotation_id: int) -> str:
        return f"{self.prefix}{annotation_id}"

    def presigned_url(self, key: str, ttl_s: int) -> str:
        if self.credentials is None:
            raise StorageError("Presigned URLs are signed with a service-account key: paste one into "
                               "google_application_credentials, or turn presign off to stream files through LabelHive.")
        endpoint = self.settings.get("gcs_endpoint")
        with self._errors():
            return self._bucket.blob(key).generate_signed_url(
                version="v4", method="GET", expiration=timedelta(seconds=ttl_s), credentials=self.credentials,
                **({"api_access_endpoint": endpoint.rstrip("/")} if endpoint else {}))

    def open(self, key: str, range_header: str | None) -> Blob:
        with self._errors(key):
            blob = self._bucket.get_blob(key, timeout=TIMEOUT, retry=self._retry)
            if blob is None:
                raise MissingObject(f"{self.task_url(key)} does not exist any more: it was moved or deleted "
                                    "after the sync.")
            reader = blob.open("rb", chunk_size=4 * 1024 * 1024, timeout=TIMEOUT, retry=self._retry)
        span = byte_range(range_header, blob.size or 0)
        if span:
            reader.seek(span[0])
            remaining = span[1] - span[0] + 1

            def read(n: int) -> bytes:
                nonlocal remaining
                data = reader.read(min(n, remaining)) if remaining > 0 else b""
                remaining -= len(data)
                return data
        else:
            read = reader.read
        return Blob(chunks=chunked(read, reader.close),
                    content_type=content_type(blob.content_type, key),
                    length=span[1] - span[0] + 1 if span else blob.size,
                    content_range=f"bytes {span[0]}-{span[1]}/{blob.size}" if span else None,
                    etag=blob.etag, last_modified=blob.updated)
