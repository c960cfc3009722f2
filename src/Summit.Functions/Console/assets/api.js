// Calls to the app's API with the signed-in coordinator's bearer token. Errors are RFC 9457 problem details.
import { accessToken } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The problem's errors[] as { field, message }. */
  get fields() {
    return Array.isArray(this.problem?.errors) ? this.problem.errors : [];
  }
}

export class SignedOut extends Error {}

export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const token = accessToken();
  if (!token) throw new SignedOut();
  const init = { method, headers: { ...headers, Authorization: `Bearer ${token}`, Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, null);
  }
  if (response.status === 401) throw new SignedOut();
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, etag: response.headers.get('ETag'), status: response.status };
}
