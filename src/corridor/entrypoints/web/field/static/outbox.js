/* The field outbox: every capture kept in IndexedDB with its own idempotency key and the
   device's time, sent in the order taken when a connection allows; loaded by the page and
   by the service worker (Background Sync), which share one lock so only one sends at once.
   A capture leaves the queue only as sent (the server recorded it) or refused (the server
   said why); a lost connection or a restarting server leaves it pending, retried with backoff.
   The same key sent twice is answered with the first answer, so nothing is applied twice. */
(function (scope) {
  "use strict";
  const DB = "corridor-field";
  const OUTBOX = "outbox";
  const META = "meta";
  const CHANNEL = "corridor-outbox";
  let opened = null;

  function request(r) {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  function db() {
    if (!opened) {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => {
        const store = r.result.createObjectStore(OUTBOX, { keyPath: "key" });
        store.createIndex("created", "created");
        r.result.createObjectStore(META);
      };
      opened = request(r);
    }
    return opened;
  }

  async function run(name, mode, work) {
    const t = (await db()).transaction(name, mode);
    const done = new Promise((resolve, reject) => {
      t.oncomplete = resolve;
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
    const out = await work(t.objectStore(name));
    await done;
    return out;
  }

  function announce() {
    if (typeof BroadcastChannel !== "undefined") {
      const channel = new BroadcastChannel(CHANNEL);
      channel.postMessage("changed");
      channel.close();
    }
  }

  /* The device's time in the operation's own time: itself for a live operation; for an
     exercise, mapped as the server maps its wall clock (start + (now - anchor) x speed). */
  function operationTime(now, clock) {
    if (!clock || clock.mode === "live" || !clock.start || !clock.anchor) return new Date(now);
    const start = Date.parse(clock.start);
    const anchor = Date.parse(clock.anchor);
    return new Date(start + (now - anchor) * clock.speed);
  }

  let counter = 0;
  async function add(operation, clock, capture) {
    const now = Date.now();
    const entry = {
      key: crypto.randomUUID(),
      operation: operation,
      capture: Object.assign({ at: operationTime(now, clock).toISOString() }, capture),
      taken: new Date(now).toISOString(),
      state: "pending",
      tries: 0,
      created: now * 1000 + (counter++ % 1000),
      reason: "",
      alerts: [],
    };
    await run(OUTBOX, "readwrite", (s) => request(s.put(entry)));
    announce();
    return entry;
  }

  function all() {
    return run(OUTBOX, "readonly", (s) => request(s.index("created").getAll()));
  }

  function put(entry) {
    return run(OUTBOX, "readwrite", (s) => request(s.put(entry)));
  }

  function meta(name, value) {
    if (value === undefined) return run(META, "readonly", (s) => request(s.get(name)));
    return run(META, "readwrite", (s) => request(s.put(value, name)));
  }

  function alertsOf(body) {
    return (body.events || [])
      .filter((e) => e.type === "protection-alert-raised")
      .map((e) => e.data.alert);
  }

  /* What one answer means for the entry: sent, refused (with the server's reason), or
     "retry" (no answer, a lost store, a conflict), or "stop" (signed out, stale page). */
  function settle(entry, status, body) {
    const error = (body && body.error) || "";
    if (status >= 200 && status < 300) {
      return Object.assign(entry, { state: "sent", reason: "", alerts: alertsOf(body) });
    }
    if (status === 409 && body && body.events) {
      return Object.assign(entry, { state: "sent", reason: error, blocked: true, alerts: alertsOf(body) });
    }
    if (status === 401 || (status === 403 && error === "CSRF check failed")) return "stop";
    if (status === 409 || status === 429 || status >= 500) return "retry";
    return Object.assign(entry, { state: "refused", reason: error || "HTTP " + status });
  }

  async function send(entry, csrf) {
    let response;
    try {
      response = await fetch("/field/ops/" + encodeURIComponent(entry.operation) + "/captures", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Idempotency-Key": entry.key,
          Authorization: "Field " + csrf,
        },
        body: JSON.stringify(entry.capture),
      });
    } catch (lost) {
      return "retry";
    }
    let body = null;
    try {
      body = await response.json();
    } catch (notJson) {
      body = null;
    }
    return settle(entry, response.status, body);
  }

  /* Send every pending capture in the order taken; stop at the first that gets no answer,
     so a later capture (a checkpoint count) never overtakes an earlier one (its boarding). */
  async function drain() {
    const csrf = await meta("csrf");
    let sent = 0;
    let stopped = "";
    for (const entry of await all()) {
      if (entry.state !== "pending") continue;
      if (!csrf) { stopped = "stop"; break; }
      entry.tries += 1;
      const outcome = await send(entry, csrf);
      if (outcome === "retry" || outcome === "stop") {
        await put(entry);
        stopped = outcome;
        break;
      }
      await put(outcome);
      sent += 1;
      if (sent % 20 === 0) announce();
    }
    await meta("signedOut", stopped === "stop");
    announce();
    return { sent: sent, stopped: stopped };
  }

  function sync() {
    if (scope.navigator && scope.navigator.locks) {
      return scope.navigator.locks.request("corridor-outbox", drain);
    }
    return drain();
  }

  async function counts() {
    const tally = { pending: 0, sent: 0, refused: 0 };
    for (const entry of await all()) tally[entry.state] += 1;
    return tally;
  }

  scope.Outbox = {
    add: add, all: all, put: put, meta: meta, sync: sync, counts: counts,
    operationTime: operationTime, CHANNEL: CHANNEL,
  };
})(self);
