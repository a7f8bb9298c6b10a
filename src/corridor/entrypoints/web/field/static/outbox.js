/* The field outbox: every capture kept in IndexedDB with its own idempotency key and the
   device's time, sent in the order taken when a connection allows; loaded by the page and
   by the service worker (Background Sync), which share one lock so only one sends at once.
   A capture leaves the queue only as sent (the server recorded it) or refused (the server
   said why); a lost connection or a restarting server leaves it pending, retried with backoff.
   The queue goes out in batches of up to 50, each capture under its own key; the same key
   sent twice is answered with the first answer, so nothing is applied twice. */
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

  /* A batch: up to Outbox.batchSize (at most the server's BATCH) captures of one operation, in the order taken, each with its key,
     small enough for the server's body limit. The server answers one result per capture. */
  const BATCH = 50;
  const BATCH_BYTES = 48 * 1024;

  function batches(pending) {
    const out = [];
    let current = [];
    let bytes = 0;
    for (const entry of pending) {
      const size = JSON.stringify(entry.capture).length + entry.key.length + 32;
      const full = current.length >= scope.Outbox.batchSize || bytes + size > BATCH_BYTES;
      if (current.length && (full || current[0].operation !== entry.operation)) {
        out.push(current);
        current = [];
        bytes = 0;
      }
      current.push(entry);
      bytes += size;
    }
    if (current.length) out.push(current);
    return out;
  }

  /* One result per entry ({status, body}), or "retry" / "stop" for the whole batch. */
  async function sendBatch(entries, csrf) {
    let response;
    try {
      response = await fetch("/field/ops/" + encodeURIComponent(entries[0].operation) + "/captures/batch", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Authorization: "Field " + csrf },
        body: JSON.stringify({ captures: entries.map((e) => ({ key: e.key, capture: e.capture })) }),
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
    if (response.status === 200 && body && Array.isArray(body.results)) return body.results;
    const error = (body && body.error) || "";
    if (response.status === 401 || (response.status === 403 && error === "CSRF check failed")) return "stop";
    return "retry";
  }

  function putMany(entries) {
    return run(OUTBOX, "readwrite", (s) => Promise.all(entries.map((e) => request(s.put(e)))));
  }

  /* Send every pending capture in the order taken, a batch at a time; stop at the first
     that gets no answer, so a later capture (a checkpoint count) never overtakes an earlier
     one (its boarding): the server stops there too and answers the rest "not tried". */
  async function drain() {
    const csrf = await meta("csrf");
    let sent = 0;
    let stopped = "";
    const pending = (await all()).filter((e) => e.state === "pending");
    if (pending.length && !csrf) stopped = "stop";
    for (const batch of stopped ? [] : batches(pending)) {
      for (const entry of batch) entry.tries += 1;
      const results = await sendBatch(batch, csrf);
      if (results === "retry" || results === "stop") {
        await putMany(batch);
        stopped = results;
        break;
      }
      for (let i = 0; i < batch.length && !stopped; i++) {
        const result = results[i];
        const outcome = !result || result.result === "not tried"
          ? "retry" : settle(batch[i], result.status, result.body);
        if (outcome === "retry" || outcome === "stop") stopped = outcome;
        else sent += 1;
      }
      await putMany(batch);
      announce();
      if (stopped) break;
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
    operationTime: operationTime, CHANNEL: CHANNEL, batchSize: BATCH,
  };
})(self);
