// The demo page at "/": a chat room on demo.chat and a live log of any channel or pattern, built on parkway.js.
import { Parkway } from "./parkway.js";

const $ = (id) => document.getElementById(id);
const CHAT = "demo.chat";
const KEEP = 200; // chat messages kept on screen

const pw = new Parkway(); // same origin, URLs relative to this page
const params = new URLSearchParams(location.search);
const transportSelect = $("transport");
transportSelect.value = params.get("transport") ?? localStorage.getItem("parkway.demo.transport") ?? "poll";

// ---- status indicator ----------------------------------------------------------------------------

function showStatus(el, status) {
  el.dataset.role = status.role;
  el.dataset.transport = status.transport;
  el.dataset.state = status.state;
  const transport = status.transport === "sse" ? "SSE" : "long polling";
  let text = `${status.role} · ${transport} · ${status.state}`;
  if (status.state === "reconnecting" && status.delay != null) text += ` (retry in ${(status.delay / 1000).toFixed(1)} s)`;
  el.textContent = text;
  el.title = status.role === "follower"
    ? "Another tab of this browser holds the connection and forwards what it receives."
    : status.role === "leader" ? "This tab holds the connection for every tab of this browser." : "";
}

// ---- chat ----------------------------------------------------------------------------------------

const messages = $("messages");
const nameInput = $("name");
const messageInput = $("message");
const chatError = $("chat-error");
nameInput.value = localStorage.getItem("parkway.demo.name") ?? `guest-${Math.floor(Math.random() * 9000 + 1000)}`;
nameInput.addEventListener("change", () => localStorage.setItem("parkway.demo.name", nameInput.value.trim()));

const shown = new Set(); // keys on screen: history and live events can overlap
// A server that restarted without keeping its history (a new epoch) numbers messages from 1 again:
// each restart starts a new era, and a message's place on screen is (era, seq).
let era = 0;
const keyOf = (seq) => era * 1e12 + seq;

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function addMessage(event) {
  const key = keyOf(event.seq);
  if (shown.has(key)) return;
  shown.add(key);
  const data = event.data && typeof event.data === "object" ? event.data : { text: String(event.data) };
  const li = document.createElement("li");
  li.dataset.seq = event.seq;
  li.dataset.key = key;
  li.className = "message" + (data.name === nameInput.value.trim() ? " mine" : "");
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = data.name ?? "someone";
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = data.text ?? JSON.stringify(event.data);
  const when = document.createElement("span");
  when.className = "when";
  when.textContent = time(event.timestamp);
  li.append(who, text, when);
  // Keep (era, seq) order even when history arrives after live events.
  const after = [...messages.querySelectorAll("li.message")].find((m) => Number(m.dataset.key) > key);
  messages.querySelector("li.empty")?.remove();
  messages.insertBefore(li, after ?? null);
  const all = messages.querySelectorAll("li.message");
  for (let i = 0; i < all.length - KEEP; i++) all[i].remove();
  messages.scrollTop = messages.scrollHeight;
}

function chatNotice(text) {
  const li = document.createElement("li");
  li.className = "notice";
  li.textContent = text;
  messages.append(li);
  messages.scrollTop = messages.scrollHeight;
}

let historyLoaded = false;
async function loadHistory() {
  // Everything still retained, oldest first, page by page; only the last KEEP are kept on screen.
  let after = "0";
  const events = [];
  for (let page = 0; page < 10; page++) {
    const answer = await pw.poll([CHAT], { after, limit: 1000 });
    events.push(...answer.events);
    after = answer.cursor;
    if (!answer.more) break;
  }
  for (const e of events.slice(-KEEP)) addMessage(e);
  if (shown.size === 0) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = "No messages yet. Say hello!";
    messages.append(li);
  }
}

let chatSub = null;
function startChat() {
  chatSub?.close();
  chatSub = pw.subscribe([CHAT], {
    transport: transportSelect.value,
    onEvent: addMessage,
    onGap(g) {
      if (g.reason === "invalid_cursor") {
        chatNotice("Reconnected from scratch; some messages may be missing.");
      } else if (g.oldest <= g.requested) {
        era++; // a new epoch: the server restarted and its earlier messages are gone
        chatNotice("The server restarted; earlier messages were not kept.");
      } else {
        chatNotice(`${g.oldest - g.requested} message(s) were lost (retention).`);
      }
    },
    onStatus(status) {
      showStatus($("status"), status);
      // Once the subscription is live (its first answer, or its leader's), anything older comes from history.
      if (status.state === "open" && !historyLoaded) {
        historyLoaded = true;
        loadHistory().catch((err) => {
          historyLoaded = false;
          chatNotice(`Could not load earlier messages: ${err.message}`);
        });
      }
    },
  });
}

$("chat-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const name = nameInput.value.trim();
  const text = messageInput.value.trim();
  if (!name || !text) return;
  localStorage.setItem("parkway.demo.name", name);
  chatError.hidden = true;
  try {
    await pw.publish(CHAT, { name, text }, { retries: 2 });
    messageInput.value = "";
    messageInput.focus();
  } catch (err) {
    chatError.textContent = `Not sent: ${err.message} (${err.code})`;
    chatError.hidden = false;
  }
});

// ---- live log ------------------------------------------------------------------------------------

const log = $("log");
const logStatus = $("log-status");
let logSub = null;
let logChannels = [];

function logLine(kind, tag, text, meta) {
  const li = document.createElement("li");
  li.className = kind;
  li.dataset.kind = kind;
  const t = document.createElement("span");
  t.className = "tag";
  t.textContent = tag;
  li.append(t);
  if (meta) {
    const m = document.createElement("span");
    m.className = "meta";
    m.textContent = meta;
    li.append(m);
  }
  li.append(document.createTextNode(text));
  log.prepend(li);
  while (log.children.length > 500) log.lastChild.remove();
}

function watch(channels) {
  logSub?.close();
  logChannels = channels;
  let lastState = "";
  logSub = pw.subscribe(channels, {
    transport: transportSelect.value,
    onEvent: (e) => logLine("event", "event", JSON.stringify(e.data), `${time(e.timestamp)} ${e.channel} #${e.seq}`),
    onGap: (g) => logLine("gap", "gap", g.reason
      ? `cursor refused (${g.reason}); restarted from the newest event`
      : `events ${g.requested} to ${g.oldest - 1} are gone; continuing from ${g.oldest}`, g.channel ?? ""),
    onError: (err) => logLine("error", "error", `${err.code}: ${err.message}`),
    onDeleted: (d) => logLine("status", "deleted", `channel ${d.channel ?? "?"} was deleted`),
    onStatus(status) {
      const transport = status.transport === "sse" ? "Server-Sent Events" : "long polling";
      logStatus.textContent = `Watching ${channels.join(", ")} by ${transport} (${status.role}, ${status.state}).`;
      logStatus.dataset.role = status.role;
      logStatus.dataset.transport = status.transport;
      logStatus.dataset.state = status.state;
      if (status.state !== lastState) {
        lastState = status.state;
        logLine("status", "status", `${status.state} (${status.role}, ${status.transport})`);
      }
    },
  });
}

$("log-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const channels = $("log-channel").value.split(",").map((s) => s.trim()).filter(Boolean);
  if (channels.length) watch(channels);
});
$("log-clear").addEventListener("click", () => log.replaceChildren());

$("publish-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const channel = $("publish-channel").value.trim();
  let data;
  try {
    data = JSON.parse($("publish-data").value);
  } catch {
    data = $("publish-data").value; // not JSON: send it as a string
  }
  try {
    const r = await pw.publish(channel, data);
    logLine("status", "sent", `${channel} #${r.seq} (woke ${r.subscribers})`);
  } catch (err) {
    logLine("error", "refused", `${err.code}: ${err.message}`);
  }
});

transportSelect.addEventListener("change", () => {
  localStorage.setItem("parkway.demo.transport", transportSelect.value);
  startChat();
  if (logChannels.length) watch(logChannels);
});

startChat();
$("log-form").requestSubmit();
