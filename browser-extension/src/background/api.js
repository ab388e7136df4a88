// @ts-check
// The only code that talks to the replylint API (CONTRACT.md §3).
//
// Every call has a deadline and can be cancelled; every failure becomes an
// ApiError with a code the interface explains ("API unreachable", "key refused" …),
// never an exception that would leave a reply box waiting.

/** Deadlines in milliseconds: a check is interactive; a rewrite may call an LLM. */
var RL_TIMEOUTS = Object.freeze({ check: 8_000, rewrite: 60_000, health: 5_000 });

/**
 * @template T
 * @typedef {{ok: true, data: T, ms: number, version: string | null} | {ok: false, error: ApiError, ms: number}} ApiResult
 */

/**
 * One HTTP call to the API.
 * @param {{apiUrl: string, apiKey: string}} target
 * @param {"GET" | "POST"} method
 * @param {string} path
 * @param {unknown} body
 * @param {{timeoutMs: number, signal?: AbortSignal}} options
 * @returns {Promise<ApiResult<unknown>>}
 */
async function rlApiCall(target, method, path, body, options) {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!target.apiUrl) {
    return { ok: false, error: { code: "not-configured", message: "" }, ms: 0 };
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (target.apiKey) headers.Authorization = `Bearer ${target.apiKey}`;
  try {
    const response = await fetch(`${target.apiUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      // The API needs no cookies; never send the browser's.
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    const text = await response.text();
    /** @type {unknown} */
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!response.ok) {
      return { ok: false, error: rlHttpError(response, data), ms: elapsed() };
    }
    return { ok: true, data, ms: elapsed(), version: response.headers.get("X-Replylint-Version") };
  } catch (err) {
    /** @type {ApiErrorCode} */
    let code = "unreachable";
    if (timedOut) code = "timeout";
    else if (options.signal?.aborted) code = "cancelled";
    return { ok: false, error: { code, message: "" }, ms: elapsed() };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * An HTTP error answer as an ApiError, keeping the API's own message
 * (`{"error": {"code", "message"}}`) when it sent one.
 * @param {Response} response
 * @param {unknown} data
 * @returns {ApiError}
 */
function rlHttpError(response, data) {
  const status = response.status;
  const detail = /** @type {{error?: {message?: unknown}}} */ (data && typeof data === "object" ? data : {}).error;
  const message = detail && typeof detail.message === "string" ? detail.message : "";
  /** @type {ApiErrorCode} */
  let code = "bad-request";
  if (status === 401 || status === 403) code = "unauthorized";
  else if (status === 413) code = "too-large";
  else if (status === 429) code = "rate-limited";
  else if (status >= 500) code = "server";
  /** @type {ApiError} */
  const error = { code, message, status };
  const retry = Number(response.headers.get("Retry-After"));
  if (Number.isFinite(retry) && retry > 0) error.retryAfter = retry;
  return error;
}

/**
 * Whether a value has the shape of a result record: enough for the interface to
 * rely on it without crashing. Anything else is "bad-response" (a wrong URL, a proxy page).
 * @param {unknown} value
 * @returns {value is ResultRecord}
 */
function rlIsResultRecord(value) {
  if (!value || typeof value !== "object") return false;
  const r = /** @type {Record<string, unknown>} */ (value);
  if (typeof r.compliant !== "boolean" || typeof r.score !== "number") return false;
  if (!r.structure || typeof r.structure !== "object") return false;
  if (r.diagnostics !== undefined && !Array.isArray(r.diagnostics)) return false;
  return (Array.isArray(r.diagnostics) ? r.diagnostics : []).every(
    (d) =>
      d &&
      typeof d === "object" &&
      typeof d.rule === "string" &&
      typeof d.message === "string" &&
      Number.isInteger(d.start) &&
      Number.isInteger(d.end),
  );
}

/**
 * @param {unknown} value
 * @returns {value is RewriteResponse}
 */
function rlIsRewriteResponse(value) {
  if (!value || typeof value !== "object") return false;
  const r = /** @type {Record<string, unknown>} */ (value);
  return typeof r.text === "string" && rlIsResultRecord(r.result);
}

/**
 * POST /v1/check.
 * @param {{apiUrl: string, apiKey: string}} target
 * @param {InputRecord} record
 * @param {AbortSignal} [signal]
 * @returns {Promise<ApiResult<ResultRecord>>}
 */
async function rlCheck(target, record, signal) {
  const outcome = await rlApiCall(target, "POST", "/v1/check", record, { timeoutMs: RL_TIMEOUTS.check, signal });
  if (outcome.ok && !rlIsResultRecord(outcome.data)) {
    return { ok: false, error: { code: "bad-response", message: "" }, ms: outcome.ms };
  }
  return /** @type {ApiResult<ResultRecord>} */ (outcome);
}

/**
 * POST /v1/rewrite.
 * @param {{apiUrl: string, apiKey: string}} target
 * @param {InputRecord} record
 * @param {AbortSignal} [signal]
 * @returns {Promise<ApiResult<RewriteResponse>>}
 */
async function rlRewrite(target, record, signal) {
  const outcome = await rlApiCall(target, "POST", "/v1/rewrite", record, { timeoutMs: RL_TIMEOUTS.rewrite, signal });
  if (outcome.ok && !rlIsRewriteResponse(outcome.data)) {
    return { ok: false, error: { code: "bad-response", message: "" }, ms: outcome.ms };
  }
  return /** @type {ApiResult<RewriteResponse>} */ (outcome);
}

/**
 * Whether the API answers and accepts the key: GET /healthz (no auth), then a
 * one-word check (auth), so a wrong key shows up before the agent starts typing.
 * @param {{apiUrl: string, apiKey: string}} target
 * @returns {Promise<ConnectionReport>}
 */
async function rlTestConnection(target) {
  const health = await rlApiCall(target, "GET", "/healthz", undefined, { timeoutMs: RL_TIMEOUTS.health });
  if (!health.ok) return { ok: false, version: null, ms: health.ms, error: health.error };
  const probe = await rlCheck(target, { text: "Hello", lang: "en" });
  if (!probe.ok) return { ok: false, version: health.version, ms: probe.ms, error: probe.error };
  return { ok: true, version: probe.version || health.version, ms: probe.ms };
}
