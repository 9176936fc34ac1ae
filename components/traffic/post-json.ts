/** Browser side of a traffic mutation: POST JSON (the browser adds Origin), surface the coded error message. */
export interface ApiError {
  code: string;
  message: string;
}

export async function postJson<T = unknown>(
  url: string,
  body: unknown,
): Promise<{ ok: true; result: T } | { ok: false; error: ApiError }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (e) {
    // The console itself did not answer: nothing is known to have changed.
    return { ok: false, error: { code: "Network", message: `The console did not answer: ${String(e)}` } };
  }
  const payload = (await res.json().catch(() => null)) as { result?: T; error?: ApiError } | null;
  if (res.ok) return { ok: true, result: payload?.result as T };
  return { ok: false, error: payload?.error ?? { code: String(res.status), message: res.statusText } };
}
