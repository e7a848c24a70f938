/**
 * The one door to the API. The access token lives only in this module's memory; the refresh token is an
 * HttpOnly cookie the browser sends to /api/v1/auth. A 401 triggers one silent refresh (shared by all
 * requests waiting at that moment) and one retry; when the refresh fails the session has ended.
 */
import type { AnswerAt, AnswerWith, CallPath, JobAt } from './types';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

const BASE = '/api/v1';
const COOKIE_TRANSPORT = { 'X-Auth-Transport': 'cookie' };
const NETWORK_DOWN = 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.';

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const sessionEndListeners = new Set<(reason: string) => void>();

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

/** Called when the session ends on its own (refresh refused): the app returns to the login page. */
export function onSessionEnd(listener: (reason: string) => void): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    // not problem+json (a proxy's page): fall back to the status below
  }
  const detail = typeof body.detail === 'string' ? body.detail : `Máy chủ trả lỗi ${res.status}.`;
  const code = typeof body.code === 'string' ? body.code : 'HTTP_' + res.status;
  return new ApiError(res.status, code, detail, Array.isArray(body.errors) ? (body.errors as FieldError[]) : [], body);
}

async function send(path: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers);
  if (accessToken) headers.set('Authorization', `Bearer ${accessToken}`);
  try {
    return await fetch(BASE + path, { ...init, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', NETWORK_DOWN);
  }
}

async function exchangeRefreshCookie(): Promise<boolean> {
  try {
    const res = await fetch(`${BASE}/auth/refresh`, {
      method: 'POST',
      headers: { ...COOKIE_TRANSPORT, 'Content-Type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    });
    if (!res.ok) return false;
    accessToken = ((await res.json()) as AnswerWith<'/auth/refresh', 'post', 200>).accessToken;
    return true;
  } catch {
    return false;
  }
}

/**
 * Exchanges the refresh cookie for a new access token. Callers in this tab share one exchange, and tabs
 * take turns through a Web Lock: the server treats a second use of a refresh token as theft and ends the
 * sign-in, so two tabs must never send the same cookie at once (the second one sends the rotated cookie).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      return locks ? await locks.request('mai-am-refresh', exchangeRefreshCookie) : await exchangeRefreshCookie();
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export const SESSION_EXPIRED = 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.';

/** Sends a request; on 401 refreshes once and retries. Throws ApiError with the server's Vietnamese detail. */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let res = await send(path, init);
  if (res.status === 401 && accessToken !== null) {
    if (await refreshSession()) res = await send(path, init);
    else {
      accessToken = null;
      for (const listener of sessionEndListeners) listener(SESSION_EXPIRED);
      throw new ApiError(401, 'UNAUTHENTICATED', SESSION_EXPIRED);
    }
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}

export interface SendOptions {
  query?: Query;
  headers?: Record<string, string>;
}

/**
 * Reads `path` (as the page builds it: `/cases/${id}`); the answer's type is the one the OpenAPI document
 * gives that path's template (`/cases/{id}`), so a page cannot read a field the API does not answer.
 */
export async function apiGet<P extends CallPath<'get'>>(path: P, query?: Query): Promise<AnswerAt<'get', P>> {
  const res = await request(withQuery(path, query));
  return (await res.json()) as AnswerAt<'get', P>;
}

type SendMethod = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Writes to `path`; the answer's type comes from the document like `apiGet`'s (`undefined` for 204). */
export async function apiSend<M extends SendMethod, P extends CallPath<Lowercase<M>>>(
  method: M,
  path: P,
  body?: unknown,
  options: SendOptions = {},
): Promise<AnswerAt<Lowercase<M>, P>> {
  type T = AnswerAt<Lowercase<M>, P>;
  const res = await request(withQuery(path, options.query), {
    method,
    headers: { 'Content-Type': 'application/json', ...options.headers },
    body: JSON.stringify(body ?? {}),
  });
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/**
 * Starts a long operation as a job (`Prefer: respond-async`: 202 and the job, SPEC §14); the job's `result`,
 * once done, has the type of the operation's synchronous answer.
 */
export async function apiStartJob<P extends CallPath<'post'>>(
  path: P,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JobAt<P>> {
  const res = await request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Prefer: 'respond-async', ...headers },
    body: JSON.stringify(body ?? {}),
  });
  return (await res.json()) as JobAt<P>;
}

/** Downloads a file the API serves (PDF, XLSX, CSV) as a Blob, with the name the server proposes. */
export async function apiBlob(path: string, query?: Query): Promise<{ blob: Blob; filename: string | null }> {
  const res = await request(withQuery(path, query));
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const filename = star?.[1] ? decodeURIComponent(star[1]) : (plain?.[1] ?? null);
  return { blob: await res.blob(), filename };
}

/** Sends a multipart form with upload progress (fetch cannot report it); retries once after a refresh. */
export function apiUpload<P extends CallPath<'post'>>(
  path: P,
  form: FormData,
  onProgress?: (percent: number) => void,
): Promise<AnswerAt<'post', P>> {
  type T = AnswerAt<'post', P>;
  const attempt = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', BASE + path);
      if (accessToken) xhr.setRequestHeader('Authorization', `Bearer ${accessToken}`);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress?.(Math.round((event.loaded / event.total) * 100));
      };
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK', NETWORK_DOWN));
      xhr.send(form);
    });
  return (async () => {
    let result = await attempt();
    if (result.status === 401 && (await refreshSession())) result = await attempt();
    const response = new Response(result.text, { status: result.status });
    if (result.status >= 400) throw await toApiError(response);
    return (result.text ? JSON.parse(result.text) : undefined) as T;
  })();
}

export async function login(username: string, password: string): Promise<void> {
  const res = await fetch(`${BASE}/auth/login`, {
    method: 'POST',
    headers: { ...COOKIE_TRANSPORT, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
  }).catch(() => {
    throw new ApiError(0, 'NETWORK', NETWORK_DOWN);
  });
  if (!res.ok) throw await toApiError(res);
  accessToken = ((await res.json()) as AnswerWith<'/auth/login', 'post', 200>).accessToken;
}

export async function logout(): Promise<void> {
  accessToken = null;
  await fetch(`${BASE}/auth/logout`, {
    method: 'POST',
    headers: { ...COOKIE_TRANSPORT, 'Content-Type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  }).catch(() => undefined);
}
