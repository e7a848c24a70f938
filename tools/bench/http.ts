/** The benchmarks' HTTP client for the service and the minimal app they start (database.ts, batches-database.ts). */

export interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/** Long list actions (2,000 cases) may take minutes on a loaded machine; nothing waits forever. */
const TIMEOUT_MS = 300_000;

async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const bearer = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

export async function call(
  method: string,
  url: string,
  token: string | null,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return answerOf(
    await fetch(url, {
      method,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { ...bearer(token), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    }),
  );
}

/** A multipart upload of one file under `file`, with the fields beside it (POST /api/v1/batches/import). */
export async function upload(
  url: string,
  token: string | null,
  file: { bytes: Buffer; name: string; type: string },
  fields: Record<string, string>,
): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return answerOf(
    await fetch(url, { method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS), headers: bearer(token), body: form }),
  );
}

export async function expectStatus(
  what: string,
  status: number,
  promise: Promise<Answer>,
): Promise<Record<string, unknown>> {
  const res = await promise;
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.json).slice(0, 500)}`);
  return res.json;
}

/**
 * The answer of a list endpoint (SPEC §14): `status` itself, or a `202` whose job is then followed through
 * `GET /api/v1/jobs/:id` until it ends; a succeeded job's `result` is the synchronous answer.
 */
export async function expectAnswer(
  what: string,
  status: number,
  promise: Promise<Answer>,
  service: string,
  token: string,
): Promise<Record<string, unknown>> {
  const res = await promise;
  if (res.status !== 202) return expectStatus(what, status, Promise.resolve(res));
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const job = await expectStatus(
      `GET /api/v1/jobs/:id (${what})`,
      200,
      call('GET', `${service}/api/v1/jobs/${String(res.json.id)}`, token),
    );
    if (job.status === 'succeeded') return job.result as Record<string, unknown>;
    if (['failed', 'cancelled'].includes(String(job.status)))
      throw new Error(`${what}: the job ended ${String(job.status)} ${JSON.stringify(job.error)}`);
    if (Date.now() > deadline) throw new Error(`${what}: the job did not end within ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
