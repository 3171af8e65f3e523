/**
 * The one way the app talks to the server. Route names are checked against the generated schema
 * (src/api/schema.d.ts, from the server's OpenAPI); the server's handlers read raw query strings and
 * return plain JSON, so parameters and bodies are typed here and response shapes live in ./types.
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema";

export type Method = "get" | "post" | "patch" | "put" | "delete";

/** Routes of the schema that accept `M`, e.g. ApiPath<"post"> includes "/api/projects". */
export type ApiPath<M extends Method> = {
  [P in keyof paths]: undefined extends paths[P][M] ? never : P;
}[keyof paths];

type ParamNames<P> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
export type PathParams<P> = [ParamNames<P>] extends [never] ? undefined : Record<ParamNames<P>, string | number>;

export type QueryValue = string | number | boolean | null | undefined | (string | number)[];
export type Query = Record<string, QueryValue>;

interface CommonOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** `path` is required exactly when the route has "{placeholders}". */
export type RequestOptions<P> = CommonOptions &
  ([ParamNames<P>] extends [never] ? { path?: undefined } : { path: PathParams<P> });
type OptionsArg<P> = [ParamNames<P>] extends [never] ? [options?: RequestOptions<P>] : [options: RequestOptions<P>];

/** A failed call: `detail` is the server's message, shown to the user verbatim. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly validationErrors: Record<string, string[]> = {},
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

export function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** To the login page, which brings the user back here after they log in. */
export function toLogin(): void {
  const here = window.location.pathname + window.location.search;
  window.location.assign(here === "/" ? "/user/login" : `/user/login?next=${encodeURIComponent(here)}`);
}

/** Builds an ApiError from any error body the server (or a proxy in front of it) returns. */
export function apiError(status: number, body: unknown, fallback = ""): ApiError {
  if (body && typeof body === "object" && "detail" in body) {
    const b = body as { detail: unknown; validation_errors?: Record<string, string[]> };
    const detail = typeof b.detail === "string" ? b.detail : JSON.stringify(b.detail);
    return new ApiError(status, detail, b.validation_errors ?? {});
  }
  const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 300) : fallback;
  return new ApiError(status, text || `The server answered ${status}.`);
}

/** What the user reads about a failed call. The server's per-field messages are whole sentences, so they are
 * shown without the field's path ("label_config: ", "path: "), which names the wire format, not the form. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const messages = Object.values(err.validationErrors).flat().join(" ");
    if (!messages) return err.detail;
    return err.detail === "Validation error" ? messages : `${err.detail} (${messages})`;
  }
  if (err instanceof TypeError) return `Could not reach the server (${err.message}).`;
  return err instanceof Error ? err.message : String(err);
}

export function serializeQuery(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

const client = createClient<paths>({
  baseUrl: "",
  querySerializer: (q) => serializeQuery(q as Query).slice(1),
});

client.use({
  onRequest({ request }) {
    if (request.method !== "GET" && request.method !== "HEAD") request.headers.set("X-CSRFToken", csrfToken());
    return request;
  },
});

/** Calls a route of the schema; resolves to the parsed JSON body, throws ApiError otherwise. */
export async function api<M extends Method, P extends ApiPath<M>>(
  method: M,
  path: P,
  ...[options]: OptionsArg<P>
): Promise<unknown> {
  // The schema declares no parameters or bodies for these routes (see the header comment), hence the cast.
  const { path: pathParams, query, ...rest } = (options ?? {}) as RequestOptions<P>;
  const init = { params: { path: pathParams, query }, ...rest };
  const { data, error, response } = await client.request(method, path as never, init as never);
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, "Your session has ended; opening the login page.");
  }
  if (!response.ok) throw apiError(response.status, error, response.statusText);
  return data;
}

/** States the shape of a response the schema leaves untyped (see ./types). */
export function as<T>(response: Promise<unknown>): Promise<T> {
  return response as Promise<T>;
}

/** Fills "{name}" placeholders of a route, for URLs used outside `api` (downloads, <img src>). */
export function routeUrl<P extends keyof paths>(path: P, params: PathParams<P>, query?: Query): string {
  const filled = String(path).replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String((params as Record<string, string | number>)[name])),
  );
  return filled + serializeQuery(query);
}
