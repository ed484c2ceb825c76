// Bounded HTTP reads for the CLI's network sources (the go.dev index, registries): a size limit, one
// timeout for the whole exchange (headers and body), and errors that name the URL and the fix.
export class HttpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HttpError";
  }
}

export interface FetchLimits {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Whole exchange, headers and body. */
  readonly timeoutMs: number;
  readonly headers?: Record<string, string>;
}

export interface LimitedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** Why a fetch failed, from its cause (ENOTFOUND vuln.go.dev, ECONNREFUSED …), not undici's bare "fetch failed". */
export function cause(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return "timeout";
  const c = e?.cause;
  return c?.code ? `${c.code}${c.message ? ` ${c.message}` : ""}` : (c?.message ?? e?.message ?? String(err));
}

/** GET `url`, reading at most `maxBytes` within `timeoutMs`; redirects followed (the limits cover them). */
export async function fetchLimited(url: string, limits: FetchLimits): Promise<LimitedResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const timeoutText = `${url} did not answer completely within ${limits.timeoutMs} ms; retry, or raise the limit with --timeout`;
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: limits.headers, redirect: "follow" });
  } catch (err) {
    throw new HttpError(cause(err) === "timeout" ? timeoutText : `could not reach ${url}: ${cause(err)}; check the URL and the network`);
  }
  const tooBig = `${url} sent more than ${limits.maxBytes} bytes, more than any valid answer; refusing it (check the URL)`;
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new HttpError(tooBig);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limits.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new HttpError(tooBig);
        }
        chunks.push(Buffer.from(value));
      }
    } catch (err) {
      if (err instanceof HttpError) throw err;
      if (signal.aborted) throw new HttpError(timeoutText);
      throw new HttpError(`${url}: the connection closed before the whole body arrived (${size} bytes read: ${cause(err)}); retry`);
    }
  }
  return { status: res.status, statusText: res.statusText, ok: res.ok, headers: res.headers, body: Buffer.concat(chunks) };
}
