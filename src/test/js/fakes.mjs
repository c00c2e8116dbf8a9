// Test doubles for the browser environment parkway.js runs in: fetch, timers, EventSource, Web Locks and
// BroadcastChannel, all driven by the test (nothing here waits on a real clock).

/** Lets pending promise callbacks and queued macrotasks run. */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** A seeded pseudo-random source (mulberry32), so jitter is reproducible. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Timers that fire only when the test says so. */
export class FakeClock {
  constructor() {
    this.timers = new Map();
    this.nextId = 1;
    this.setTimeout = (fn, ms) => {
      const id = this.nextId++;
      this.timers.set(id, { fn, ms });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
  }

  /** Delays of the pending timers, in the order they were set. */
  pending() {
    return [...this.timers.values()].map((t) => t.ms);
  }

  /** Fires the pending timer with this delay (the first one, if several). */
  fire(ms) {
    for (const [id, t] of this.timers) {
      if (t.ms === ms) {
        this.timers.delete(id);
        t.fn();
        return;
      }
    }
    throw new Error(`no timer of ${ms} ms; pending: ${this.pending()}`);
  }
}

/** A fetch whose answers the test gives, one request at a time. */
export class FakeFetch {
  constructor() {
    this.calls = [];
    this.waiting = [];
    this.fn = (url, init = {}) => {
      const call = { url: String(url), init };
      this.calls.push(call);
      return new Promise((resolve, reject) => {
        call.respond = (status, body, headers = {}) => {
          const text = body === undefined ? "" : JSON.stringify(body);
          resolve(new Response(status === 204 ? null : text, { status, headers: { "Content-Type": "application/json", ...headers } }));
        };
        call.fail = (err = new TypeError("fetch failed")) => reject(err);
        init.signal?.addEventListener("abort", () => {
          call.aborted = true;
          reject(new DOMException("aborted", "AbortError"));
        });
        const w = this.waiting.shift();
        if (w) w(call);
      });
    };
  }

  /** The n-th request (0-based), once it has been sent. */
  async request(n) {
    for (let i = 0; i < 50 && this.calls.length <= n; i++) await settle(1);
    if (this.calls.length <= n) throw new Error(`request ${n} was never sent (${this.calls.length} sent)`);
    return this.calls[n];
  }

  get count() {
    return this.calls.length;
  }
}

export function query(call) {
  return new URL(call.url, "http://parkway.test/").searchParams;
}

export function path(call) {
  return new URL(call.url, "http://parkway.test/").pathname;
}

/** An EventSource the test feeds with frames. */
export class FakeEventSource {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = {};
    this.closed = false;
    FakeEventSource.instances.push(this);
  }
  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type, props = {}) {
    for (const fn of this.listeners[type] ?? []) fn({ type, ...props });
  }
  open() {
    this.readyState = 1;
    this.emit("open");
  }
  frame(type, data, id = "") {
    this.emit(type, { data: JSON.stringify(data), lastEventId: id });
  }
}

/** Web Locks for several "tabs": exclusive locks by name, granted in request order. */
export class FakeLocks {
  constructor() {
    this.held = new Map();
    this.queues = new Map();
  }
  request(name, options, callback) {
    if (typeof options === "function") {
      callback = options;
      options = {};
    }
    return new Promise((resolve, reject) => {
      const entry = { callback, resolve, reject };
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      options.signal?.addEventListener("abort", () => {
        const i = queue.indexOf(entry);
        if (i >= 0) {
          queue.splice(i, 1);
          reject(new DOMException("aborted", "AbortError"));
        }
      });
      queue.push(entry);
      this.#grant(name);
    });
  }
  holder(name) {
    return this.held.get(name);
  }
  #grant(name) {
    if (this.held.has(name)) return;
    const queue = this.queues.get(name);
    const entry = queue?.shift();
    if (!entry) return;
    this.held.set(name, entry);
    Promise.resolve()
      .then(() => entry.callback({ name, mode: "exclusive" }))
      .then(entry.resolve, entry.reject)
      .finally(() => {
        this.held.delete(name);
        this.#grant(name);
      });
  }
}

/** A BroadcastChannel class whose instances (across "tabs") share one hub. */
export function broadcastHub() {
  const members = new Set();
  return class FakeBroadcastChannel {
    constructor(name) {
      this.name = name;
      this.onmessage = null;
      members.add(this);
    }
    postMessage(data) {
      const copy = structuredClone(data);
      for (const m of members) {
        if (m !== this && m.name === this.name) setImmediate(() => members.has(m) && m.onmessage?.({ data: structuredClone(copy) }));
      }
    }
    close() {
      members.delete(this);
    }
  };
}
