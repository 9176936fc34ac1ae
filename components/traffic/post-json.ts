/** Browser side of a traffic mutation: POST JSON (the browser adds Origin), surface the coded error message. */
export interface ApiError {
  code: string;
  message: string;
}

export async function postJson(
  url: string,
  body: unknown,
): Promise<{ ok: true } | { ok: false; error: ApiError }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.ok) return { ok: true };
  const payload = (await res.json().catch(() => null)) as { error?: ApiError } | null;
  return { ok: false, error: payload?.error ?? { code: String(res.status), message: res.statusText } };
}
