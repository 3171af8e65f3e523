"""The few calls a model server makes back to the labeling server (LabelHive or Label Studio)."""
import httpx

from .media import shared_client

TIMEOUT_S = 120
_http = shared_client(timeout=TIMEOUT_S)


class ServerError(RuntimeError):
    pass


class ServerAPI:
    def __init__(self, url: str, token: str):
        if not url:
            raise ServerError("The labeling server's URL is unknown: set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY, "
                              "or connect this backend from the server (it sends both in /setup).")
        self.url, self.token = url.rstrip("/"), token

    def _get(self, path: str, **params) -> httpx.Response:
        try:
            response = _http.get(f"{self.url}{path}", params=params,
                                 headers={"Authorization": f"Token {self.token}"} if self.token else {})
        except httpx.HTTPError as exc:
            raise ServerError(f"Cannot reach the labeling server at {self.url}: {exc}") from exc
        if response.status_code >= 400:
            raise ServerError(f"GET {path} answered HTTP {response.status_code}: {response.text[:200]}")
        return response

    def labeled_tasks(self, project_id) -> list[dict]:
        """Every task of the project that has an annotation, with its annotations, in Label Studio's JSON
        export format (the same call label-studio-ml 1.0.x examples made)."""
        return self._get(f"/api/projects/{project_id}/export", exportType="JSON", download_all_tasks="false").json()

    def project(self, project_id) -> dict:
        return self._get(f"/api/projects/{project_id}").json()
