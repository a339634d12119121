// The JSON API: one fetch wrapper that adds the CSRF header, reads {"error": "..."} and reports it in the error bar.
import { showError } from './errors.js';

let csrf = '';
export function setCsrf(value) { csrf = value ?? ''; }

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** '/api/vms/VM/…' with every segment encoded (VM names, process keys and action ids are guest data). */
export function vmPath(vm, ...segments) {
  return '/api/vms/' + [vm, ...segments].map((s) => encodeURIComponent(s)).join('/');
}

/** A query string of the set (non-null, non-empty) values. */
function queryString(query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value != null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? '?' + text : '';
}

/**
 * Calls the API and returns its JSON. Failures are shown in the error bar (unless quiet) and rethrown as ApiError;
 * an aborted call rethrows its AbortError silently, as its answer is no longer wanted.
 */
export async function api(method, path, { query, body, signal, quiet = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-Vmiscope-Csrf'] = csrf;
  }
  try {
    const response = await fetch(path + queryString(query), {
      method, headers, signal, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await readJson(response);
    if (!response.ok) {
      const line = typeof data?.error === 'string' ? data.error.split('\n')[0] : '';
      throw new ApiError(response.status, line || `${response.status} ${response.statusText}`.trim());
    }
    signal?.throwIfAborted();
    return data;
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    const failure = error instanceof ApiError ? error : new ApiError(0, `${method} ${path}: ${error.message}`);
    if (!quiet) showError(failure.message);
    throw failure;
  }
}

async function readJson(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
