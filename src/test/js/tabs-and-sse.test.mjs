import { test } from "node:test";
import assert from "node:assert/strict";
import { Parkway } from "../../../webapp/parkway.js";
import { FakeClock, FakeEventSource, FakeFetch, FakeLocks, broadcastHub, query, settle } from "./fakes.mjs";

/** A browser with several tabs: one lock manager and one broadcast hub shared, a network and timers per tab. */
function browser() {
  const locks = new FakeLocks();
  const BroadcastChannel = broadcastHub();
  return {
    locks,
    tab(extra = {}) {
      const clock = new FakeClock();
      const net = new FakeFetch();
      const pw = new Parkway({
        baseUrl: "/",
        fetch: net.fn,
        setTimeout: clock.setTimeout,
        clearTimeout: clock.clearTimeout,
        random: () => 0.5,
        locks,
        BroadcastChannel,
        ...extra,
      });
      return { pw, clock, net };
    },
  };
}

function recorder() {
  const seen = { events: [], gaps: [], statuses: [], errors: [] };
  seen.handlers = {
    onEvent: (e) => seen.events.push(e.seq),
    onGap: (g) => seen.gaps.push(g),
    onStatus: (s) => seen.statuses.push(s),
    onError: (e) => seen.errors.push(e.code),
  };
  return seen;
}

const ev = (seq) => ({ channel: "chat", seq, timestamp: seq, data: seq });

test("one tab polls for all: the leader forwards events, gaps and status to the followers", async () => {
  const b = browser();
  const one = b.tab();
  const two = b.tab();
  const seen1 = recorder();
  const seen2 = recorder();
  const sub1 = one.pw.subscribe(["chat"], seen1.handlers);
  await settle();
  const sub2 = two.pw.subscribe(["chat"], seen2.handlers);
  await settle();
  assert.equal(sub1.role, "leader");
  assert.equal(sub2.role, "follower");
  assert.equal(sub1.lockName, sub2.lockName);

  (await one.net.request(0)).respond(200, {
    events: [ev(5)],
    cursor: "c1",
    more: false,
    gap: { channel: "chat", requested: 2, oldest: 5 },
  });
  await one.net.request(1);
  await settle();
  assert.deepEqual(seen1.events, [5]);
  assert.deepEqual(seen2.events, [5]);
  assert.deepEqual(seen2.gaps, [{ channel: "chat", requested: 2, oldest: 5 }]);
  assert.equal(sub2.cursor, "c1");
  assert.equal(two.net.count, 0, "the follower sends nothing");
  const last = seen2.statuses.at(-1);
  assert.equal(last.role, "follower");
  assert.equal(last.state, "open");
  assert.equal(last.transport, "poll");
  sub2.close();
  sub1.close();
});

test("a follower that joins late learns the leader's cursor and status", async () => {
  const b = browser();
  const one = b.tab();
  const sub1 = one.pw.subscribe("chat", {});
  (await one.net.request(0)).respond(200, { events: [], cursor: "c7", more: false, timeout: true });
  await one.net.request(1);
  const two = b.tab();
  const seen2 = recorder();
  const sub2 = two.pw.subscribe("chat", seen2.handlers);
  await settle();
  assert.equal(sub2.cursor, "c7");
  assert.equal(sub2.status.state, "open");
  sub1.close();
  sub2.close();
});

test("when the leader closes, a follower takes over from the last cursor it was given", async () => {
  const b = browser();
  const one = b.tab();
  const two = b.tab();
  const seen2 = recorder();
  const sub1 = one.pw.subscribe("chat", {});
  await settle();
  const sub2 = two.pw.subscribe("chat", seen2.handlers);
  (await one.net.request(0)).respond(200, { events: [ev(1)], cursor: "c1", more: false });
  const parked = await one.net.request(1);
  await settle();

  sub1.close();
  await settle();
  assert.equal(parked.aborted, true);
  assert.equal(sub2.role, "leader");
  const takeover = await two.net.request(0);
  assert.equal(query(takeover).get("after"), "c1");
  assert.equal(one.net.count, 2, "the old leader sends nothing more");
  assert.ok(seen2.statuses.some((s) => s.role === "leader"));
  sub2.close();
  await settle();
  assert.equal(b.locks.holder(sub2.lockName), undefined, "the lock is released");
});

test("different channel sets elect different leaders", async () => {
  const b = browser();
  const one = b.tab();
  const two = b.tab();
  const a = one.pw.subscribe(["x", "y"], {});
  const c = two.pw.subscribe(["y", "x"], {}); // same set, other order: shared
  const d = two.pw.subscribe(["z"], {});
  await settle();
  assert.equal(a.role, "leader");
  assert.equal(c.role, "follower");
  assert.equal(d.role, "leader");
  for (const s of [a, c, d]) s.close();
});

test("without Web Locks or BroadcastChannel every tab polls for itself", async () => {
  const net = new FakeFetch();
  const clock = new FakeClock();
  const pw = new Parkway({ fetch: net.fn, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, locks: undefined, BroadcastChannel: undefined });
  const sub = pw.subscribe("chat", {});
  assert.equal(sub.role, "solo");
  await net.request(0);
  sub.close();
});

test("SSE mode streams from /stream, follows each frame's id, and reports gaps", async () => {
  FakeEventSource.instances.length = 0;
  const b = browser();
  const one = b.tab({ EventSource: FakeEventSource });
  const seen = recorder();
  const sub = one.pw.subscribe(["news", "sport.*"], { ...seen.handlers, transport: "sse", shareAcrossTabs: false });
  const es = FakeEventSource.instances[0];
  const url = new URL(es.url, "http://parkway.test/");
  assert.equal(url.pathname, "/stream");
  assert.deepEqual(url.searchParams.getAll("channel"), ["news", "sport.*"]);
  es.open();
  assert.equal(sub.status.state, "open");
  assert.equal(sub.transport, "sse");

  es.frame("gap", { channel: "news", requested: 2, oldest: 3 }, "g1");
  es.frame("message", { channel: "news", seq: 3, timestamp: 1, data: "x" }, "id3");
  es.frame("message", { channel: "news", seq: 4, timestamp: 2, data: "y" }, "id4");
  assert.deepEqual(seen.gaps, [{ channel: "news", requested: 2, oldest: 3 }]);
  assert.deepEqual(seen.events, [3, 4]);
  assert.equal(sub.cursor, "id4");
  assert.equal(one.net.count, 0, "no polling in SSE mode");
  sub.close();
  assert.equal(es.closed, true);
});

test("SSE: a browser-side reconnect is left to EventSource, a refused stream is reopened after backoff from the cursor", async () => {
  FakeEventSource.instances.length = 0;
  const b = browser();
  const one = b.tab({ EventSource: FakeEventSource });
  const seen = recorder();
  const sub = one.pw.subscribe("news", { ...seen.handlers, transport: "sse", shareAcrossTabs: false });
  const es = FakeEventSource.instances[0];
  es.open();
  es.frame("message", { channel: "news", seq: 1, timestamp: 1, data: 1 }, "id1");

  es.readyState = 0; // the browser is reconnecting by itself
  es.emit("error");
  assert.equal(sub.status.state, "reconnecting");
  assert.equal(FakeEventSource.instances.length, 1);
  assert.deepEqual(one.clock.pending(), []);

  es.readyState = 2; // the browser gave up
  es.emit("error");
  await settle();
  assert.equal(es.closed, true);
  assert.deepEqual(one.clock.pending(), [250]);
  assert.deepEqual(seen.errors, ["stream_error"]);
  one.clock.fire(250);
  await settle();
  const again = FakeEventSource.instances[1];
  assert.equal(new URL(again.url, "http://parkway.test/").searchParams.get("after"), "id1");

  es.frame("message", { channel: "news", seq: 9, timestamp: 9, data: 9 }, "id9"); // the old source is ignored
  assert.deepEqual(seen.events, [1]);
  sub.close();
  assert.equal(again.closed, true);
});

test("SSE in a shared tab: followers get the leader's stream events", async () => {
  FakeEventSource.instances.length = 0;
  const b = browser();
  const one = b.tab({ EventSource: FakeEventSource });
  const two = b.tab({ EventSource: FakeEventSource });
  const seen2 = recorder();
  const sub1 = one.pw.subscribe("news", { transport: "sse" });
  await settle();
  const sub2 = two.pw.subscribe("news", { ...seen2.handlers, transport: "sse" });
  await settle();
  assert.equal(FakeEventSource.instances.length, 1, "one stream for both tabs");
  const es = FakeEventSource.instances[0];
  es.open();
  es.frame("message", { channel: "news", seq: 1, timestamp: 1, data: 1 }, "id1");
  await settle();
  assert.deepEqual(seen2.events, [1]);
  assert.equal(sub2.transport, "sse");
  assert.equal(sub2.cursor, "id1");
  sub1.close();
  await settle();
  assert.equal(FakeEventSource.instances.length, 2, "the follower opened its own stream on taking over");
  assert.equal(new URL(FakeEventSource.instances[1].url, "http://parkway.test/").searchParams.get("after"), "id1");
  sub2.close();
});

test("SSE falls back to long polling where there is no EventSource", async () => {
  const b = browser();
  const one = b.tab({ EventSource: undefined });
  const sub = one.pw.subscribe("news", { transport: "sse", shareAcrossTabs: false });
  assert.equal(new URL((await one.net.request(0)).url, "http://x/").pathname, "/poll");
  assert.equal(sub.transport, "poll");
  sub.close();
});
