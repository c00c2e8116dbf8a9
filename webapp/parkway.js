// Parkway's browser client: one dependency-free ES module.
//
//   import { Parkway } from "./parkway.js";
//   const pw = new Parkway();
//   const sub = pw.subscribe(["chat.room1", "news.*"], { onEvent(e) { ... }, onGap(g) { ... } });
//   await pw.publish("chat.room1", { text: "hi" });
//   sub.close();
//
// A subscription follows the server's cursors (every answer's `cursor` goes back as `after=`), reports
// every gap, reconnects with exponential backoff and full jitter (honouring Retry-After), and stops
// for good on close(). Tabs of one origin that subscribe to the same channels share one connection:
// the Web Locks API elects a leader tab that polls, and a BroadcastChannel carries what it receives to
// the others; when the leader goes, the lock passes to another tab, which carries on from the last
// cursor it was given. docs/client-js.md is the guide; docs/protocol.md and docs/streams.md the wire.
//
// Everything the client touches in its environment (fetch, EventSource, timers, randomness, locks,
// BroadcastChannel) can be passed to the constructor, which is how the Node tests drive it.

const SSE_CLOSED = 2;
const PROTOCOL = 1; // version of the messages tabs exchange

/** An answer from Parkway that was not a success, or a request that got no answer. */
export class ParkwayError extends Error {
  constructor(message, { status = 0, code = "network_error", retryAfter = null, body = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ParkwayError";
    /** HTTP status, or 0 when no answer arrived. */
    this.status = status;
    /** The `error` code of Parkway's JSON error body, or a code of this client (network_error, timeout, stream_error, handler_error). */
    this.code = code;
    /** Milliseconds the server asked the client to wait (Retry-After), or null. */
    this.retryAfter = retryAfter;
    this.body = body;
  }

  /** Whether trying the same request again later can succeed. */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * The delay before retry number `attempt` (1 for the first retry): "full jitter", a uniformly random
 * time between 0 and min(cap, base * 2^(attempt - 1)) milliseconds.
 */
export function backoffDelay(attempt, { base = 500, cap = 30000 } = {}, random = Math.random) {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(cap, base * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/** Reads a Retry-After header (seconds, or an HTTP date) as milliseconds from `now`; null if absent or unreadable. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null) return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, when - now);
}

/** The client. One per page is enough; it holds no connection until something subscribes. */
export class Parkway {
  /**
   * @param {object} [options]
   * @param {string} [options.baseUrl] where Parkway is: "" (the default) means relative to the page,
   *   "/" the root of this origin, or a full URL such as "https://example.com/parkway"
   * @param {number} [options.pollTimeout] seconds a long poll may park (default 25)
   * @param {number} [options.limit] most events per poll answer (server default when absent)
   * @param {{base?: number, cap?: number}} [options.backoff] retry delays in ms (default 500 and 30000)
   * @param {boolean} [options.shareAcrossTabs] elect one polling tab per origin (default true)
   */
  constructor(options = {}) {
    const g = globalThis;
    this.baseUrl = options.baseUrl ?? "";
    this.pollTimeout = options.pollTimeout ?? 25;
    this.limit = options.limit;
    this.backoff = { base: 500, cap: 30000, ...options.backoff };
    // How much longer than the poll timeout an answer may take before the request counts as lost.
    this.requestGrace = options.requestGrace ?? 10000;
    this.shareAcrossTabs = options.shareAcrossTabs ?? true;
    this.fetch = options.fetch ?? (g.fetch ? g.fetch.bind(g) : undefined);
    this.EventSource = "EventSource" in options ? options.EventSource : g.EventSource;
    this.setTimeout = options.setTimeout ?? g.setTimeout.bind(g);
    this.clearTimeout = options.clearTimeout ?? g.clearTimeout.bind(g);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.locks = "locks" in options ? options.locks : g.navigator?.locks;
    this.BroadcastChannel = "BroadcastChannel" in options ? options.BroadcastChannel : g.BroadcastChannel;
    this.subscriptions = new Set();
  }

  /** The URL of an API path, with query parameters (arrays become repeated parameters). */
  url(path, params = {}) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value == null) continue;
      for (const v of Array.isArray(value) ? value : [value]) query.append(name, String(v));
    }
    const base = this.baseUrl === "" ? "" : this.baseUrl.replace(/\/+$/, "") + "/";
    const qs = query.toString();
    return base + path + (qs ? "?" + qs : "");
  }

  /**
   * Follows channels and patterns (`news.*`). Handlers: onEvent(event), onGap(gap), onError(error),
   * onStatus(status), onDeleted({channel}). Options in the same object: transport ("poll" or "sse"),
   * after (a cursor saved from `sub.cursor`, or "0" for everything retained), shareAcrossTabs.
   */
  subscribe(channels, handlers = {}) {
    const list = (Array.isArray(channels) ? channels : [channels]).map(String);
    if (list.length === 0) throw new TypeError("subscribe needs at least one channel");
    const transport = handlers.transport ?? "poll";
    if (transport !== "poll" && transport !== "sse") throw new TypeError(`unknown transport ${transport}`);
    return this.#start(new Subscription(this, {
      kind: "channels",
      channels: list,
      key: "channels|" + [...new Set(list)].sort().join(","),
      transport,
    }, handlers));
  }

  /**
   * Reads a client's mailbox (`/clients/{id}/messages`), polling only. Each poll sends back the cursor
   * of the previous answer, which acknowledges (deletes) what that answer delivered, after onEvent
   * returned (or the promise it returned settled). Without `after`, delivery starts at the oldest
   * unacknowledged message.
   */
  mailbox(clientId, handlers = {}) {
    const id = String(clientId);
    return this.#start(new Subscription(this, {
      kind: "mailbox",
      clientId: id,
      key: "mailbox|" + id,
      transport: "poll",
    }, handlers));
  }

  /**
   * One poll, answered at once by default: `{events, cursor, more, gap|gaps, timeout}`. For reading
   * history (`{after: "0"}`) or a one-off look. Options: after, since, timeout (seconds, default 0), limit, signal.
   */
  async poll(channels, { after, since, timeout = 0, limit, signal } = {}) {
    const list = Array.isArray(channels) ? channels : [channels];
    const res = await this.#request(this.url("poll", { channel: list, after, since, timeout, limit }), { signal });
    return res.body;
  }

  /**
   * Publishes `data` (any JSON value) on a channel. Resolves to `{channel, seq, timestamp, subscribers,
   * repeated}` (`repeated` is true when the server recognised the Idempotency-Key and stored nothing new).
   * Options: idempotencyKey, retries (retry that many times on network errors, 429 and 5xx; a key is
   * generated when retrying without one, so a retry never stores the event twice), signal.
   */
  publish(channel, data, options = {}) {
    return this.#post(this.url("channels/" + encodeURIComponent(channel)), data, options);
  }

  /** Sends `data` to a client's mailbox. Resolves to `{client, seq, timestamp, waiting}`. Same options as publish. */
  send(clientId, data, options = {}) {
    return this.#post(this.url("clients/" + encodeURIComponent(clientId) + "/messages"), data, options);
  }

  /** Closes every subscription of this client. */
  close() {
    for (const sub of [...this.subscriptions]) sub.close();
  }

  #start(sub) {
    this.subscriptions.add(sub);
    sub.start();
    return sub;
  }

  async #post(url, data, { idempotencyKey, retries = 0, signal } = {}) {
    const body = JSON.stringify(data === undefined ? null : data);
    let key = idempotencyKey;
    if (key == null && retries > 0) key = newKey(this.random);
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (key != null) headers["Idempotency-Key"] = String(key);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.#request(url, { method: "POST", headers, body, signal });
        return { ...res.body, repeated: res.status === 200 };
      } catch (err) {
        if (!(err instanceof ParkwayError) || !err.retryable || attempt >= retries || signal?.aborted) throw err;
        const wait = Math.max(err.retryAfter ?? 0, backoffDelay(attempt + 1, this.backoff, this.random));
        await new Promise((resolve) => this.setTimeout(resolve, wait));
      }
    }
  }

  /** Sends a request; resolves to {status, body} for a 2xx, throws a ParkwayError otherwise. */
  async #request(url, init) {
    return request(this, url, init);
  }
}

async function request(pw, url, init = {}) {
  if (!pw.fetch) throw new ParkwayError("no fetch in this environment", { code: "no_fetch" });
  let res;
  try {
    res = await pw.fetch(url, { ...init, headers: { Accept: "application/json", ...init.headers } });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ParkwayError(`no answer from ${url}: ${err?.message ?? err}`, { cause: err });
  }
  let text = "";
  try {
    text = await res.text();
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ParkwayError(`answer from ${url} cut off: ${err?.message ?? err}`, { cause: err });
  }
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.status >= 200 && res.status < 300) {
    if (body === null && res.status !== 204) {
      throw new ParkwayError(`answer from ${url} is not JSON`, { status: res.status, code: "invalid_answer" });
    }
    return { status: res.status, body };
  }
  const code = body && typeof body.error === "string" ? body.error : "http_" + res.status;
  const message = body && typeof body.message === "string" ? body.message : `HTTP ${res.status}`;
  throw new ParkwayError(message, {
    status: res.status,
    code,
    body,
    retryAfter: parseRetryAfter(res.headers?.get?.("Retry-After"), pw.now()),
  });
}

function newKey(random) {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  let s = "pw-";
  for (let i = 0; i < 24; i++) s += Math.floor(random() * 36).toString(36);
  return s;
}

function callSafely(fn, thisArg, ...args) {
  if (typeof fn !== "function") return undefined;
  try {
    return fn.apply(thisArg, args);
  } catch (err) {
    console.error("parkway: a handler threw", err); // eslint-disable-line no-console
    return undefined;
  }
}

function errorFromShared(e) {
  return new ParkwayError(e.message, { status: e.status, code: e.code, retryAfter: e.retryAfter });
}

/**
 * One subscription (channels or a mailbox). Runs the transport itself when it is the leader (or alone),
 * and otherwise listens to the leader tab. Not reused after close().
 *
 * status = {state, role, transport, attempt?, delay?, error?}
 *   state: "connecting" | "open" | "reconnecting" | "waiting" (a follower that has not heard from its
 *          leader yet) | "superseded" | "failed" | "closed"
 *   role:  "leader" | "follower" | "solo" (no Web Locks or BroadcastChannel, or sharing switched off)
 */
class Subscription {
  #pw;
  #spec;
  #h;
  #cursor;
  #closed = false;
  #attempt = 0;
  #status;
  #abort = null; // the AbortController of the request in flight
  #timer = null; // the backoff timer
  #wake = null; // resolves the backoff sleep early (on close)
  #es = null;
  #channel = null; // the BroadcastChannel between tabs
  #lockAbort = null;
  #release = null; // releases the leader lock

  constructor(pw, spec, handlers) {
    this.#pw = pw;
    this.#spec = spec;
    this.#h = handlers;
    this.#cursor = handlers.after == null ? null : String(handlers.after);
    const base = pw.baseUrl === "" || /^\//.test(pw.baseUrl) ? resolveBase(pw.baseUrl) : pw.baseUrl;
    /** The name of the lock (and BroadcastChannel) the tabs sharing this subscription use. */
    this.lockName = `parkway:${base}|${spec.key}`;
    this.#status = { state: "connecting", role: "solo", transport: spec.transport };
  }

  /** The position after the last event delivered: save it, and pass it as `after` to resume there. */
  get cursor() {
    return this.#cursor;
  }

  /** The last status reported (see the class comment). */
  get status() {
    return { ...this.#status };
  }

  get role() {
    return this.#status.role;
  }

  get transport() {
    return this.#status.transport;
  }

  get closed() {
    return this.#closed;
  }

  start() {
    const pw = this.#pw;
    const share = this.#h.shareAcrossTabs ?? pw.shareAcrossTabs;
    if (share && pw.locks && typeof pw.locks.request === "function" && typeof pw.BroadcastChannel === "function") {
      this.#follow();
    } else {
      this.#lead("solo");
    }
  }

  /** Stops everything: no request, timer, stream or lock survives this call. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort?.abort();
    this.#abort = null;
    if (this.#timer !== null) this.#pw.clearTimeout(this.#timer);
    this.#timer = null;
    this.#wake?.();
    this.#es?.close();
    this.#es = null;
    this.#lockAbort?.abort();
    this.#release?.();
    try {
      this.#channel?.close();
    } catch {
      // already closed
    }
    this.#channel = null;
    this.#pw.subscriptions.delete(this);
    this.#setStatus({ state: "closed" }, false);
  }

  // ---- tabs: leader election and forwarding ------------------------------------------------------

  #follow() {
    const pw = this.#pw;
    this.#status = { state: "waiting", role: "follower", transport: this.#spec.transport };
    callSafely(this.#h.onStatus, this.#h, this.status);
    const channel = new pw.BroadcastChannel(this.lockName);
    this.#channel = channel;
    channel.onmessage = (m) => this.#onShared(m.data);
    this.#post({ type: "hello" });
    this.#lockAbort = new AbortController();
    let granted;
    try {
      granted = pw.locks.request(this.lockName, { signal: this.#lockAbort.signal }, () => {
        if (this.#closed) return undefined; // gives the lock straight back
        return new Promise((resolve) => {
          this.#release = resolve;
          this.#lead("leader");
        });
      });
    } catch {
      granted = null;
    }
    if (!granted || typeof granted.then !== "function") {
      // A locks object that does not behave: poll alone rather than not at all.
      this.#release?.();
      channel.close();
      this.#channel = null;
      this.#lead("solo");
      return;
    }
    granted.catch(() => {}); // AbortError when closed while waiting
  }

  #onShared(msg) {
    if (this.#closed || !msg || msg.v !== PROTOCOL) return;
    const role = this.#status.role;
    if (msg.type === "hello") {
      if (role === "leader") this.#post({ type: "state", cursor: this.#cursor, status: this.#status });
      return;
    }
    if (role !== "follower") return;
    switch (msg.type) {
      case "state":
      case "status":
        if (msg.cursor != null) this.#cursor = msg.cursor;
        this.#status = { ...msg.status, role: "follower" };
        callSafely(this.#h.onStatus, this.#h, this.status);
        break;
      case "batch":
        this.#cursor = msg.cursor;
        this.#deliver(msg.events, msg.gaps);
        break;
      case "deleted":
        callSafely(this.#h.onDeleted, this.#h, msg.info);
        break;
      case "error":
        callSafely(this.#h.onError, this.#h, errorFromShared(msg.error));
        break;
      default:
        break;
    }
  }

  #post(msg) {
    try {
      this.#channel?.postMessage({ v: PROTOCOL, ...msg });
    } catch {
      // the channel was closed under us
    }
  }

  #lead(role) {
    if (this.#closed) return;
    let transport = this.#spec.transport;
    if (transport === "sse" && typeof this.#pw.EventSource !== "function") transport = "poll";
    this.#status = { state: "connecting", role, transport };
    this.#setStatus({ state: "connecting" });
    if (transport === "sse") this.#openStream();
    else this.#pollLoop();
  }

  // ---- what a leader (or a solo tab) reports -----------------------------------------------------

  #setStatus(change, share = true) {
    const { attempt, delay, error, ...rest } = this.#status; // transient fields do not carry over
    this.#status = { ...rest, ...change };
    callSafely(this.#h.onStatus, this.#h, this.status);
    if (share && this.#status.role === "leader") {
      const s = { ...this.#status };
      if (s.error) s.error = { code: s.error.code, status: s.error.status, message: s.error.message };
      this.#post({ type: "status", status: s, cursor: this.#cursor });
    }
  }

  #reportError(err) {
    callSafely(this.#h.onError, this.#h, err);
    if (this.#status.role === "leader") {
      this.#post({ type: "error", error: { message: err.message, status: err.status, code: err.code, retryAfter: err.retryAfter } });
    }
  }

  /** Hands gaps and events to the handlers, in that order; resolves when async onEvent handlers settled. */
  #deliver(events = [], gaps = []) {
    for (const gap of gaps) callSafely(this.#h.onGap, this.#h, gap);
    const onEvent = this.#h.onEvent ?? this.#h.onMessage;
    const pending = [];
    for (const event of events) {
      const r = callSafely(onEvent, this.#h, event);
      if (r && typeof r.then === "function") pending.push(r);
    }
    return pending.length ? Promise.allSettled(pending) : null;
  }

  async #batch(events, gaps, cursor) {
    this.#cursor = cursor;
    if (this.#status.role === "leader") this.#post({ type: "batch", events, gaps, cursor });
    const settled = this.#deliver(events, gaps);
    if (settled) {
      for (const r of await settled) {
        if (r.status === "rejected") {
          this.#reportError(new ParkwayError(`onEvent failed: ${r.reason?.message ?? r.reason}`, { code: "handler_error", cause: r.reason }));
        }
      }
    }
  }

  // ---- long polling ----------------------------------------------------------------------------

  #pollUrl(timeout) {
    const pw = this.#pw;
    const params = { after: this.#cursor ?? undefined, timeout, limit: pw.limit };
    if (this.#spec.kind === "mailbox") {
      return pw.url("clients/" + encodeURIComponent(this.#spec.clientId) + "/messages", params);
    }
    return pw.url("poll", { channel: this.#spec.channels, ...params });
  }

  async #pollLoop() {
    const pw = this.#pw;
    while (!this.#closed) {
      // Until an answer has come back, ask with timeout=0: the status turns "open" at once, and the
      // cursor of that answer marks the head, so nothing published meanwhile is missed.
      const timeout = this.#status.state === "open" ? pw.pollTimeout : 0;
      const abort = new AbortController();
      this.#abort = abort;
      const deadline = pw.setTimeout(() => abort.abort(), timeout * 1000 + pw.requestGrace);
      let answer;
      let failure;
      try {
        answer = (await request(pw, this.#pollUrl(timeout), { signal: abort.signal })).body;
      } catch (err) {
        failure = err;
      } finally {
        pw.clearTimeout(deadline);
        if (this.#abort === abort) this.#abort = null;
      }
      if (this.#closed) return;
      if (failure) {
        if (!(failure instanceof ParkwayError)) {
          failure = new ParkwayError("no answer within the poll timeout", { code: "timeout", cause: failure });
        }
        if (!(await this.#onPollFailure(failure))) return;
        continue;
      }
      this.#attempt = 0;
      const gaps = answer.gaps ?? (answer.gap ? [answer.gap] : []);
      const events = Array.isArray(answer.events) ? answer.events : [];
      if (this.#status.state !== "open" && !answer.superseded) this.#setStatus({ state: "open" });
      await this.#batch(events, gaps, answer.cursor ?? this.#cursor);
      if (this.#closed) return;
      if (answer.superseded) {
        // Another poller took this mailbox (or client id): another tab that cannot share, or another
        // device. Back off rather than take it back at once, or the two would supersede each other in a loop.
        this.#attempt++;
        const delay = backoffDelay(this.#attempt, pw.backoff, pw.random);
        this.#setStatus({ state: "superseded", attempt: this.#attempt, delay });
        await this.#sleep(delay);
      }
    }
  }

  /** Decides what a failed poll leads to; false when the subscription stops. */
  async #onPollFailure(err) {
    const pw = this.#pw;
    if (err.status === 410) {
      // A channel named exactly was deleted: say so, and keep waiting on the (now empty) name.
      const info = err.body?.channel ? { channel: err.body.channel } : { channels: this.#spec.channels };
      callSafely(this.#h.onDeleted, this.#h, info);
      if (this.#status.role === "leader") this.#post({ type: "deleted", info });
      this.#attempt = 1;
      await this.#sleep(backoffDelay(1, pw.backoff, pw.random));
      return !this.#closed;
    }
    if (err.code === "invalid_cursor" && this.#cursor !== null) {
      // The saved cursor is not one this server can continue from: say what is lost, start at the head.
      this.#reportError(err);
      const gap = { requested: null, oldest: null, reason: "invalid_cursor", cursor: this.#cursor };
      if (this.#spec.kind === "mailbox") gap.client = this.#spec.clientId;
      else gap.channels = this.#spec.channels;
      this.#cursor = null;
      await this.#batch([], [gap], null);
      return !this.#closed;
    }
    if (!err.retryable) {
      this.#reportError(err);
      this.#setStatus({ state: "failed", error: err });
      return false;
    }
    this.#reportError(err);
    await this.#backoff(err);
    return !this.#closed;
  }

  async #backoff(err) {
    const pw = this.#pw;
    this.#attempt++;
    const jittered = backoffDelay(this.#attempt, pw.backoff, pw.random);
    const delay = Math.max(err?.retryAfter ?? 0, jittered);
    this.#setStatus({ state: "reconnecting", attempt: this.#attempt, delay, error: err });
    await this.#sleep(delay);
  }

  #sleep(ms) {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#timer = null;
        this.#wake = null;
        resolve();
      };
      this.#wake = done;
      this.#timer = this.#pw.setTimeout(done, ms);
    });
  }

  // ---- Server-Sent Events ----------------------------------------------------------------------

  #openStream() {
    if (this.#closed) return;
    const pw = this.#pw;
    const url = pw.url("stream", { channel: this.#spec.channels, after: this.#cursor ?? undefined });
    let es;
    try {
      es = new pw.EventSource(url);
    } catch (err) {
      this.#streamFailed(new ParkwayError(`cannot open ${url}: ${err?.message ?? err}`, { code: "stream_error", cause: err }));
      return;
    }
    this.#es = es;
    const mine = (fn) => (m) => {
      if (this.#es === es && !this.#closed) fn(m);
    };
    const parse = (m) => {
      try {
        return JSON.parse(m.data);
      } catch {
        return null;
      }
    };
    es.addEventListener("open", mine(() => {
      this.#attempt = 0;
      this.#setStatus({ state: "open" });
    }));
    es.addEventListener("message", mine((m) => {
      const event = parse(m);
      if (event === null) return;
      // EventSource keeps the last id it saw; a frame without one leaves the position unchanged.
      this.#batch([event], [], m.lastEventId || this.#cursor);
    }));
    es.addEventListener("gap", mine((m) => {
      const gap = parse(m);
      if (gap !== null) this.#batch([], [gap], m.lastEventId || this.#cursor);
    }));
    es.addEventListener("deleted", mine((m) => {
      const info = parse(m) ?? {};
      callSafely(this.#h.onDeleted, this.#h, info);
      if (this.#status.role === "leader") this.#post({ type: "deleted", info });
    }));
    es.addEventListener("error", mine(() => {
      if (es.readyState === SSE_CLOSED) {
        // The browser gave up (an HTTP error status, or a wrong content type): reconnect ourselves.
        this.#streamFailed(new ParkwayError("the stream was refused or failed", { code: "stream_error" }));
      } else {
        // The browser reconnects by itself, sending Last-Event-ID.
        this.#setStatus({ state: "reconnecting" });
      }
    }));
  }

  async #streamFailed(err) {
    this.#es?.close();
    this.#es = null;
    this.#reportError(err);
    await this.#backoff(err);
    if (!this.#closed) this.#openStream();
  }
}

function resolveBase(baseUrl) {
  try {
    const href = globalThis.location?.href;
    if (href) return new URL(baseUrl || ".", href).href;
  } catch {
    // fall through
  }
  return baseUrl;
}
