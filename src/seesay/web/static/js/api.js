// The one place that talks to the server: same origin, key in Authorization: Bearer,
// errors turned into ApiError from the native {"error": {code, message, param}} shape
// (and the OpenAI-compatible one, which has the same fields plus `type`).

import { getKey } from "./session.js";

export class ApiError extends Error {
  constructor(status, code, message, param = null, requestId = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
    this.requestId = requestId;
  }
}

async function parseError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): fall through to the status text.
  }
  const e = (body && body.error) || {};
  const message =
    (typeof e === "object" && e.message) ||
    (body && typeof body.message === "string" && body.message) ||
    response.statusText ||
    "The server answered with an error.";
  const code = (typeof e === "object" && (e.code || e.type)) || `http_${response.status}`;
  return new ApiError(
    response.status,
    String(code),
    message,
    e.param || null,
    e.request_id || response.headers.get("x-request-id"),
  );
}

/**
 * request("POST", "/v1/speech", {json: {...}}) or {form: FormData} or {query: {...}}.
 * Returns parsed JSON (or text for text/* answers).
 */
export async function request(method, path, { json, form, query, key, signal } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = { Accept: "application/json" };
  const token = key === undefined ? getKey() : key;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body, signal, credentials: "omit", cache: "no-store" });
  } catch (error) {
    if (error && error.name === "AbortError") throw error;
    throw new ApiError(0, "network_error", "The server could not be reached. Is it running?");
  }
  if (!response.ok) throw await parseError(response);
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, options) => request("POST", path, options);
export const del = (path, options) => request("DELETE", path, options);

// Feature detection: the server's own OpenAPI document says which routes exist.
let openapi = null;
export async function routes() {
  if (!openapi) {
    openapi = get("/openapi.json", { key: "" }).catch(() => ({ paths: {} }));
  }
  const doc = await openapi;
  return doc.paths || {};
}

export async function hasRoute(method, path) {
  const paths = await routes();
  return Boolean(paths[path] && paths[path][method.toLowerCase()]);
}

/** The request body schema of a route (to adapt to field names), or null. */
export async function requestSchema(method, path, contentType) {
  const paths = await routes();
  const op = paths[path] && paths[path][method.toLowerCase()];
  const content = op && op.requestBody && op.requestBody.content;
  if (!content) return null;
  const media = content[contentType] || Object.values(content)[0];
  let schema = media && media.schema;
  if (schema && schema.$ref) {
    const name = schema.$ref.split("/").pop();
    schema = (openapi && (await openapi).components.schemas[name]) || null;
  }
  return schema;
}
