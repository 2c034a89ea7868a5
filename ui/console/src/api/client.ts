// The one way the console talks to the server: JSON over fetch on the same origin,
// the session's CSRF token on every change, errors as ApiError with the server's
// code and message. A 401 asks the user to sign in again, then repeats the request.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The code of an ApiError for a request that never got an answer. */
export const NETWORK_ERROR = "network";

let csrfToken = "";
export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { "X-CSRF-Token": csrfToken } : {};
}

/** Shows the sign-in dialog; resolves true once signed in again, false when given up. */
type Reauthenticate = (error: ApiError) => Promise<boolean>;
let reauthenticate: Reauthenticate | null = null;
export function onUnauthorized(handler: Reauthenticate | null): void {
  reauthenticate = handler;
}
export function askToSignInAgain(error: ApiError): Promise<boolean> {
  return reauthenticate ? reauthenticate(error) : Promise.resolve(false);
}

type RequestOptions = {
  /** false for the session routes themselves: a 401 there is an answer, not a lapse. */
  reauth?: boolean;
};

/** Turns a non-2xx response into an ApiError with the server's words. */
async function errorOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const code = typeof body.error === "string" ? body.error : `http_${response.status}`;
  const message = typeof body.message === "string" ? body.message : response.statusText || `HTTP ${response.status}`;
  return new ApiError(response.status, code, message, body);
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD") Object.assign(headers, csrfHeader());
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, String(cause));
  }
  if (response.status === 401 && options.reauth !== false) {
    const error = await errorOf(response);
    if (await askToSignInAgain(error)) return request<T>(method, path, body, options);
    throw error;
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file from a GET (the yearly report's PDF): its bytes, or the server's error as an ApiError. */
export async function requestFile(path: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin" });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, String(cause));
  }
  if (response.status === 401) {
    const error = await errorOf(response);
    if (await askToSignInAgain(error)) return requestFile(path);
    throw error;
  }
  if (!response.ok) throw await errorOf(response);
  return response.blob();
}
