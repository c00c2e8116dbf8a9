import { test } from "node:test";
import assert from "node:assert/strict";
import { Parkway, ParkwayError, backoffDelay, parseRetryAfter } from "../../../webapp/parkway.js";
import { FakeClock, FakeFetch, path, query, seeded, settle } from "./fakes.mjs";

function client(extra = {}) {
  const clock = new FakeClock();
  const net = new FakeFetch();
  const pw = new Parkway({
    fetch: net.fn,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    random: () => 0.5,
    locks: null,
    BroadcastChannel: null,
    ...extra,
  });
  return { pw, clock, net };
}

function recorder() {
  const seen = { events: [], gaps: [], errors: [], statuses: [], deleted: [] };
  seen.handlers = {
    onEvent: (e) => seen.events.push(e),
    onGap: (g) => seen.gaps.push(g),
    onError: (e) => seen.errors.push(e),
    onStatus: (s) => seen.statuses.push(s),
    onDeleted: (d) => seen.deleted.push(d),
  };
  return seen;
}

const ev = (channel, seq, data = seq) => ({ channel, seq, timestamp: 1000 + seq, data });

test("first poll asks at once from the head, then long-polls with each answer's cursor", async () => {
  const { pw, net } = client();
  const seen = recorder();
  const sub = pw.subscribe(["chat.room1", "news.*"], seen.handlers);

  const first = await net.request(0);
  assert.equal(path(first), "/poll");
  assert.deepEqual(query(first).getAll("channel"), ["chat.room1", "news.*"]);
  assert.equal(query(first).get("timeout"), "0");
  assert.equal(query(first).has("after"), false);
  first.respond(200, { events: [], cursor: "c1", more: false, timeout: true });

  const second = await net.request(1);
  assert.equal(query(second).get("after"), "c1");
  assert.equal(query(second).get("timeout"), "25");
  second.respond(200, { events: [ev("chat.room1", 1), ev("news.world", 7)], cursor: "c2", more: false });

  const third = await net.request(2);
  assert.equal(query(third).get("after"), "c2");
  assert.deepEqual(seen.events.map((e) => `${e.channel}#${e.seq}`), ["chat.room1#1", "news.world#7"]);
  assert.equal(sub.cursor, "c2");
  assert.equal(sub.role, "solo");
  assert.equal(sub.status.state, "open");
  sub.close();
});

test("a saved cursor passed as after is where the subscription resumes", async () => {
  const { pw, net } = client();
  const sub = pw.subscribe("news", { after: "saved-cursor" });
  assert.equal(query(await net.request(0)).get("after"), "saved-cursor");
  sub.close();
});

test("a single gap is reported before the events that follow it", async () => {
  const { pw, net } = client();
  const order = [];
  const sub = pw.subscribe("ticks", {
    onGap: (g) => order.push(["gap", g]),
    onEvent: (e) => order.push(["event", e.seq]),
  });
  (await net.request(0)).respond(200, {
    events: [ev("ticks", 6)],
    cursor: "c1",
    more: false,
    gap: { channel: "ticks", requested: 2, oldest: 6 },
  });
  await net.request(1);
  assert.deepEqual(order, [["gap", { channel: "ticks", requested: 2, oldest: 6 }], ["event", 6]]);
  sub.close();
});

test("every entry of a multi-channel gaps list is reported", async () => {
  const { pw, net } = client();
  const seen = recorder();
  const sub = pw.subscribe(["a", "b.*"], seen.handlers);
  const gaps = [
    { channel: "a", requested: 3, oldest: 9 },
    { channel: "b.x", requested: 1, oldest: 4 },
  ];
  (await net.request(0)).respond(200, { events: [], cursor: "c1", more: false, gaps });
  await net.request(1);
  assert.deepEqual(seen.gaps, gaps);
  sub.close();
});

test("backoff delays stay within full-jitter bounds and their ceiling doubles up to the cap", () => {
  const random = seeded(42);
  const policy = { base: 500, cap: 30000 };
  for (let attempt = 1; attempt <= 12; attempt++) {
    const ceiling = Math.min(30000, 500 * 2 ** (attempt - 1));
    let max = 0;
    for (let i = 0; i < 500; i++) {
      const d = backoffDelay(attempt, policy, random);
      assert.ok(d >= 0 && d < ceiling, `attempt ${attempt}: ${d} outside [0, ${ceiling})`);
      max = Math.max(max, d);
    }
    // With 500 samples the largest is close to the ceiling: the spread really is the whole range.
    assert.ok(max > ceiling * 0.9, `attempt ${attempt}: max ${max} far below ${ceiling}`);
  }
  assert.equal(backoffDelay(1, policy, () => 0), 0);
  assert.equal(backoffDelay(40, policy, () => 0.999999), 29999);
});

test("failed polls are retried after growing jittered delays, and success resets the growth", async () => {
  const { pw, clock, net } = client({ random: () => 0.999 });
  const seen = recorder();
  const sub = pw.subscribe("news", seen.handlers);
  const delays = [];
  for (let i = 0; i < 8; i++) {
    (await net.request(i)).fail();
    await settle();
    const pending = clock.pending().filter((ms) => ms !== 10000); // the request deadline is 0 s + grace
    delays.push(pending.at(-1));
    clock.fire(pending.at(-1));
  }
  assert.deepEqual(delays, [499, 999, 1998, 3996, 7992, 15984, 29970, 29970]);
  assert.equal(seen.errors.length, 8);
  assert.equal(seen.errors[0].code, "network_error");
  assert.ok(seen.statuses.some((s) => s.state === "reconnecting" && s.attempt === 8 && s.delay === 29970));

  (await net.request(8)).respond(200, { events: [], cursor: "c1", more: false, timeout: true });
  (await net.request(9)).fail();
  await settle();
  assert.ok(clock.pending().includes(499), `after a success the next delay starts over: ${clock.pending()}`);
  sub.close();
});

test("Retry-After on 503 and 429 is waited out even when the jittered delay is shorter", async () => {
  const { pw, clock, net } = client({ random: () => 0 });
  const seen = recorder();
  const sub = pw.subscribe("news", seen.handlers);
  (await net.request(0)).respond(503, { error: "shutting_down", message: "stopping" }, { "Retry-After": "4" });
  await settle();
  assert.ok(clock.pending().includes(4000), `pending: ${clock.pending()}`);
  assert.equal(net.count, 1, "nothing is sent before the delay");
  clock.fire(4000);
  (await net.request(1)).respond(429, { error: "too_many", message: "slow down" }, { "Retry-After": "7" });
  await settle();
  assert.ok(clock.pending().includes(7000), `pending: ${clock.pending()}`);
  assert.equal(seen.errors[0].code, "shutting_down");
  assert.equal(seen.errors[0].retryAfter, 4000);
  sub.close();
});

test("Retry-After is read as seconds or as an HTTP date", () => {
  assert.equal(parseRetryAfter("3", 0), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter("soon", 0), null);
  assert.equal(parseRetryAfter(null, 0), null);
});

test("close() aborts the parked poll and nothing is sent afterwards", async () => {
  const { pw, clock, net } = client();
  const seen = recorder();
  const sub = pw.subscribe("news", seen.handlers);
  (await net.request(0)).respond(200, { events: [], cursor: "c1", more: false, timeout: true });
  const parked = await net.request(1);
  sub.close();
  await settle();
  assert.equal(parked.aborted, true);
  assert.equal(parked.init.signal.aborted, true);
  assert.deepEqual(clock.pending(), [], "no timer is left behind");
  assert.equal(net.count, 2);
  assert.equal(sub.status.state, "closed");
  assert.equal(seen.errors.length, 0, "closing is not an error");
  assert.equal(pw.subscriptions.size, 0);
});

test("close() during a backoff wait cancels the retry", async () => {
  const { pw, clock, net } = client();
  const sub = pw.subscribe("news", {});
  (await net.request(0)).fail();
  await settle();
  assert.equal(clock.pending().length, 1);
  sub.close();
  assert.deepEqual(clock.pending(), []);
  await settle();
  assert.equal(net.count, 1);
});

test("an answer arriving after close() is not delivered", async () => {
  const { pw, net } = client();
  const seen = recorder();
  const sub = pw.subscribe("news", seen.handlers);
  const first = await net.request(0);
  pw.close(); // closes every subscription of the client
  first.respond(200, { events: [ev("news", 1)], cursor: "c1", more: false });
  await settle();
  assert.equal(seen.events.length, 0);
  assert.equal(sub.closed, true);
  assert.equal(net.count, 1);
});

test("a poll that outlives its timeout plus grace is abandoned and retried", async () => {
  const { pw, clock, net } = client({ random: () => 0 });
  const sub = pw.subscribe("news", {});
  const first = await net.request(0);
  clock.fire(10000); // timeout=0 + 10 s grace
  await settle();
  assert.equal(first.aborted, true);
  clock.fire(0); // the (zero) backoff
  await net.request(1);
  sub.close();
});

test("a client mistake stops the subscription with status failed", async () => {
  const { pw, clock, net } = client();
  const seen = recorder();
  const sub = pw.subscribe("bad name", seen.handlers);
  (await net.request(0)).respond(400, { error: "invalid_channel", message: "bad" });
  await settle();
  assert.equal(seen.errors[0].code, "invalid_channel");
  assert.equal(seen.errors[0].status, 400);
  assert.equal(sub.status.state, "failed");
  assert.deepEqual(clock.pending(), []);
  assert.equal(net.count, 1);
  sub.close();
});

test("an unusable saved cursor is reported as a gap and the subscription restarts at the head", async () => {
  const { pw, net } = client();
  const seen = recorder();
  const sub = pw.subscribe("news", { ...seen.handlers, after: "stale" });
  (await net.request(0)).respond(400, { error: "invalid_cursor", message: "cursor is not one this server issued" });
  const retry = await net.request(1);
  assert.equal(query(retry).has("after"), false);
  assert.equal(seen.gaps.length, 1);
  assert.equal(seen.gaps[0].reason, "invalid_cursor");
  assert.deepEqual(seen.gaps[0].channels, ["news"]);
  assert.equal(seen.errors[0].code, "invalid_cursor");
  sub.close();
});

test("a deleted channel is reported and the subscription keeps waiting", async () => {
  const { pw, clock, net } = client({ random: () => 0 });
  const seen = recorder();
  const sub = pw.subscribe("alerts", seen.handlers);
  (await net.request(0)).respond(200, { events: [], cursor: "c1", more: false, timeout: true });
  (await net.request(1)).respond(410, { error: "channel_deleted", message: "gone" });
  await settle();
  clock.fire(0);
  assert.equal(query(await net.request(2)).get("after"), "c1");
  assert.equal(seen.deleted.length, 1);
  sub.close();
});

test("a superseded answer backs off instead of taking the poll straight back", async () => {
  const { pw, clock, net } = client({ random: () => 0.5 });
  const seen = recorder();
  const sub = pw.mailbox("alice", seen.handlers);
  (await net.request(0)).respond(200, { events: [], cursor: "m1", more: false, superseded: true });
  await settle();
  assert.equal(sub.status.state, "superseded");
  assert.ok(clock.pending().includes(250));
  assert.equal(net.count, 1);
  clock.fire(250);
  assert.equal(query(await net.request(1)).get("after"), "m1");
  sub.close();
});

test("a mailbox acknowledges with the cursor only after an async handler settled", async () => {
  const { pw, net } = client();
  let finish;
  const handled = [];
  const sub = pw.mailbox("alice", {
    onEvent: (m) => new Promise((resolve) => {
      handled.push(m.seq);
      finish = resolve;
    }),
  });
  const first = await net.request(0);
  assert.equal(path(first), "/clients/alice/messages");
  assert.equal(query(first).has("after"), false, "starts at the oldest unacknowledged message");
  first.respond(200, { events: [{ client: "alice", seq: 1, timestamp: 1, data: "hi" }], cursor: "m1", more: false });
  await settle();
  assert.deepEqual(handled, [1]);
  assert.equal(net.count, 1, "no acknowledging poll while the handler runs");
  finish();
  const ack = await net.request(1);
  assert.equal(query(ack).get("after"), "m1");
  sub.close();
});

test("publish posts JSON with the Idempotency-Key and reports a repeat", async () => {
  const { pw, net } = client({ baseUrl: "https://example.test/parkway/" });
  const sent = pw.publish("chat.room1", { text: "hi" }, { idempotencyKey: "k-1" });
  const call = await net.request(0);
  assert.equal(call.url, "https://example.test/parkway/channels/chat.room1");
  assert.equal(call.init.method, "POST");
  assert.equal(call.init.headers["Content-Type"], "application/json");
  assert.equal(call.init.headers["Idempotency-Key"], "k-1");
  assert.equal(call.init.body, '{"text":"hi"}');
  call.respond(200, { channel: "chat.room1", seq: 4, timestamp: 5, subscribers: 0 });
  assert.deepEqual(await sent, { channel: "chat.room1", seq: 4, timestamp: 5, subscribers: 0, repeated: true });
});

test("publish without a key sends none, and a refusal rejects with the server's error code", async () => {
  const { pw, net } = client();
  const sent = pw.publish("news", "x".repeat(3));
  const call = await net.request(0);
  assert.equal(call.url, "channels/news");
  assert.equal("Idempotency-Key" in call.init.headers, false);
  call.respond(413, { error: "body_too_large", message: "too big" });
  await assert.rejects(sent, (err) => err instanceof ParkwayError && err.code === "body_too_large" && err.status === 413);
});

test("publish with retries reuses one generated key on every attempt", async () => {
  const { pw, clock, net } = client({ random: () => 0 });
  const sent = pw.publish("news", 1, { retries: 2 });
  (await net.request(0)).respond(503, { error: "store_unavailable", message: "later" }, { "Retry-After": "1" });
  await settle();
  clock.fire(1000);
  const second = await net.request(1);
  second.respond(201, { channel: "news", seq: 1, timestamp: 2, subscribers: 0 });
  assert.equal((await sent).repeated, false);
  const key = net.calls[0].init.headers["Idempotency-Key"];
  assert.ok(key && key.length <= 128);
  assert.equal(second.init.headers["Idempotency-Key"], key);
});

test("send posts to the client's mailbox", async () => {
  const { pw, net } = client({ baseUrl: "/" });
  const sent = pw.send("bob", { text: "psst" });
  const call = await net.request(0);
  assert.equal(call.url, "/clients/bob/messages");
  call.respond(202, { client: "bob", seq: 1, timestamp: 3, waiting: true });
  assert.equal((await sent).waiting, true);
});

test("a throwing handler does not stop the subscription", async () => {
  const { pw, net } = client();
  const original = console.error;
  console.error = () => {};
  try {
    const sub = pw.subscribe("news", { onEvent: () => { throw new Error("boom"); } });
    (await net.request(0)).respond(200, { events: [ev("news", 1)], cursor: "c1", more: false });
    assert.equal(query(await net.request(1)).get("after"), "c1");
    sub.close();
  } finally {
    console.error = original;
  }
});
