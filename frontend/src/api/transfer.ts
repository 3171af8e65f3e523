/** Uploads with progress (XHR: fetch cannot report upload progress) and downloads that surface errors. */
import { apiError, ApiError, csrfToken, toLogin } from "./client";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** POSTs a JSON string or a multipart form; `onProgress` gets the uploaded fraction (0..1). */
export function upload<T>(
  url: string,
  body: string | FormData,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    if (typeof body === "string") xhr.setRequestHeader("Content-Type", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      const data = parse(xhr.responseText);
      if (xhr.status === 401) {
        toLogin();
        reject(new ApiError(401, "Your session has ended; opening the login page."));
      } else if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(apiError(xhr.status, data, xhr.statusText));
    };
    xhr.onerror = () => reject(new TypeError("the upload was interrupted; check that the server is running"));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}

function filenameOf(disposition: string | null, fallback: string): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]);
  const plain = disposition?.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : fallback;
}

/** Fetches a file and hands it to the browser as a download; returns its name. */
export async function download(url: string, fallbackName: string): Promise<string> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, "Your session has ended; opening the login page.");
  }
  if (!response.ok) throw apiError(response.status, parse(await response.text()), response.statusText);
  const name = filenameOf(response.headers.get("Content-Disposition"), fallbackName);
  const href = URL.createObjectURL(await response.blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
