/* The field app's screens, drawn from the cached reference data: pick a checkpoint, the
   vehicles due there, count one by group, report an incident, board from a manifest, and
   the queue. Every capture goes to the outbox (outbox.js) first, online or not. */
(function () {
  "use strict";
  const app = document.getElementById("app");
  const T = JSON.parse(document.getElementById("strings").textContent);
  const operation = app.dataset.operation;
  const SITE_KEY = "corridor-field-site:" + operation;
  let reference = null;
  let site = localStorage.getItem(SITE_KEY) || "";
  let counting = null;
  let failures = 0;
  let retryTimer = null;

  const $ = (id) => document.getElementById(id);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : ""));
  const group = (g) => T.groups[g] || g;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function show(name) {
    for (const s of document.querySelectorAll(".screen")) s.hidden = s.id !== "screen-" + name;
    for (const b of document.querySelectorAll(".tabs button")) {
      if (b.dataset.screen === name) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    }
    app.dataset.screen = name;
    if (name === "due") drawDue();
    if (name === "queue") drawQueue();
    if (name === "boarding") drawBoarding();
    if (name === "incident") drawIncident();
  }

  function toast(text) {
    const t = $("toast");
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
  }

  function siteName(id) {
    const found = reference && reference.sites.find((s) => s.site === id);
    return found ? found.name : id;
  }

  function drawHere() {
    for (const p of document.querySelectorAll(".here")) {
      p.textContent = site ? fill(T.here, { site: siteName(site) }) : T.pick;
    }
  }

  /* ---- reference data ---- */
  async function loadReference() {
    try {
      const url = "/field/ops/" + encodeURIComponent(operation) + "/reference.json";
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) {
        // Kept here too: the first visit is answered before the worker controls the page.
        if (self.caches) await (await caches.open("corridor-field-data-v1")).put(url, response.clone());
        reference = await response.json();
        reference.loaded = response.headers.get("date") || new Date().toUTCString();
      }
    } catch (offline) { /* no cached copy yet */ }
    drawSites();
    if (app.dataset.screen === "due") drawDue();
    app.dataset.ready = reference ? "yes" : "no";
  }

  function drawSites() {
    const list = $("site-list");
    list.replaceChildren();
    if (!reference) return;
    for (const s of reference.sites) {
      list.append(el("button", {
        type: "button", class: "choice", "data-site": s.site, "aria-pressed": String(s.site === site),
        onclick: () => { site = s.site; localStorage.setItem(SITE_KEY, site); drawSites(); show("due"); },
      }, [el("span", { text: s.name }), el("small", { text: s.kinds.join(", ") })]));
    }
    $("reference-age").textContent = fill(T.reference, { when: reference.loaded });
    drawHere();
  }

  /* ---- vehicles due here ---- */
  function movement(id) {
    return reference.movements.find((m) => m.movement === id);
  }

  async function takenHere() {
    const done = new Set();
    for (const e of await Outbox.all()) {
      if (e.state !== "refused" && e.capture.trip) done.add(e.capture.trip + "@" + e.capture.site);
    }
    return done;
  }

  async function drawDue() {
    drawHere();
    const list = $("due-list");
    list.replaceChildren();
    if (!reference || !site) { $("due-empty").hidden = false; return; }
    const done = await takenHere();
    const due = reference.trips.filter((t) => t.ahead.includes(site) && !done.has(t.trip + "@" + site));
    $("due-empty").hidden = due.length > 0;
    for (const t of due) {
      const expected = Object.values(t.expected).reduce((a, b) => a + b, 0);
      list.append(el("li", {}, [el("button", {
        type: "button", class: "row-button", "data-trip": t.trip, onclick: () => startCount(t),
      }, [
        el("strong", { text: t.vehicle }),
        el("span", { text: t.trip + " · " + (T.stages[t.stage] || t.stage) }),
        el("span", { class: "expected", text: T.expected + ": " + expected }),
      ])]));
    }
  }

  /* ---- counting a vehicle ---- */
  function stepper(g, expected) {
    const input = el("input", {
      id: "count-" + g, type: "number", inputmode: "numeric", min: "0", max: "100000",
      value: String(expected), "data-group": g, "data-expected": String(expected),
      "aria-describedby": "expected-" + g,
    });
    const change = (delta) => {
      input.value = String(Math.max(0, (parseInt(input.value, 10) || 0) + delta));
      checkShort();
    };
    input.addEventListener("input", checkShort);
    return el("div", { class: "stepper" }, [
      el("label", { for: "count-" + g, text: group(g) }),
      el("div", { class: "steps" }, [
        el("button", { type: "button", class: "step", "aria-label": T.less + " " + group(g), onclick: () => change(-1), text: "−" }),
        input,
        el("button", { type: "button", class: "step", "aria-label": T.more + " " + group(g), onclick: () => change(1), text: "+" }),
      ]),
      el("p", { id: "expected-" + g, class: "muted", text: T.expected + ": " + expected }),
    ]);
  }

  function kindOptions(select, chosen) {
    select.replaceChildren(...reference.incident_kinds.map((k) => el("option", { value: k, text: k })));
    if (chosen && reference.incident_kinds.includes(chosen)) select.value = chosen;
  }

  function startCount(trip) {
    const m = movement(trip.movement);
    const arrival = m && m.destinations.includes(site);
    counting = { trip: trip, kind: arrival ? "arrival" : "headcount", corridor: m ? m.corridor : "" };
    $("count-title").textContent = trip.vehicle + " · " + trip.trip;
    $("count-kind").textContent = (arrival ? T.arrival : T.headcount) + " · " + siteName(site);
    const groups = Object.keys(trip.expected).length ? Object.keys(trip.expected) : (m ? m.groups : []);
    $("steppers").replaceChildren(...groups.map((g) => stepper(g, trip.expected[g] || 0)));
    kindOptions($("short-kind"), "detention");
    $("short-severity").replaceChildren(...reference.severities.map((s) => el("option", { value: String(s), text: String(s) })));
    $("short-severity").value = "3";
    $("short-note").value = "";
    $("short-error").hidden = true;
    checkShort();
    show("count");
  }

  function countsGiven() {
    const counts = {};
    let missing = 0;
    for (const input of document.querySelectorAll("#steppers input")) {
      const n = Math.max(0, parseInt(input.value, 10) || 0);
      counts[input.dataset.group] = n;
      missing += Math.max(0, parseInt(input.dataset.expected, 10) - n);
    }
    return { counts: counts, missing: missing };
  }

  function checkShort() {
    const short = countsGiven().missing > 0;
    $("short").hidden = !short;
    $("short-note").required = short;
  }

  async function saveCount(event) {
    event.preventDefault();
    const given = countsGiven();
    const note = $("short-note").value.trim();
    if (given.missing > 0 && !note) {
      $("short-error").hidden = false;
      $("short-note").setAttribute("aria-invalid", "true");
      $("short-note").focus();
      return;
    }
    const trip = counting.trip;
    await Outbox.add(operation, reference.clock, { kind: counting.kind, trip: trip.trip, site: site, counts: given.counts });
    if (given.missing > 0) {
      await Outbox.add(operation, reference.clock, {
        kind: "incident", site: site, corridor: counting.corridor, incident_kind: $("short-kind").value,
        severity: parseInt($("short-severity").value, 10),
        note: (fill(T.short_of, { trip: trip.trip, missing: given.missing, site: site }) + ": " + note).slice(0, 500),
      });
    }
    toast(T.saved);
    show("due");
    kick();
  }

  /* ---- incident ---- */
  function drawIncident() {
    drawHere();
    if (!reference) return;
    kindOptions($("incident-kind"));
    const severities = $("incident-severity");
    if (!severities.children.length) {
      for (const s of reference.severities) {
        const id = "severity-" + s;
        severities.append(el("span", { class: "radio" }, [
          el("input", { type: "radio", name: "severity", id: id, value: String(s) }),
          el("label", { for: id, text: String(s) }),
        ]));
      }
      $("severity-3").checked = true;
    }
    const corridors = Object.keys(reference.corridors);
    const here = corridors.filter((c) => reference.corridors[c].includes(site));
    $("incident-corridor").replaceChildren(...(here.length ? here : corridors).map((c) => el("option", { value: c, text: c })));
  }

  async function saveIncident(event) {
    event.preventDefault();
    if (!site) { toast(T.pick); return; }
    const severity = document.querySelector("input[name=severity]:checked");
    const note = $("incident-note").value.trim();
    const capture = {
      kind: "incident", site: site, corridor: $("incident-corridor").value,
      incident_kind: $("incident-kind").value, severity: parseInt(severity ? severity.value : "3", 10),
    };
    if (note) capture.note = note;
    await Outbox.add(operation, reference.clock, capture);
    $("incident-note").value = "";
    toast(T.saved);
    show("queue");
    kick();
  }

  /* ---- boarding from a manifest ---- */
  function drawBoarding() {
    drawHere();
    if (!reference) return;
    const here = reference.trips.filter((t) => {
      const m = movement(t.movement);
      return t.stage === "planned" && m && (!site || m.boarding.includes(site));
    });
    const select = $("boarding-trip");
    select.replaceChildren(...here.map((t) => el("option", { value: t.trip, text: t.trip + " · " + t.vehicle })));
    if (!here.length) select.append(el("option", { value: "", text: T.no_trip }));
  }

  async function saveBoarding(event) {
    event.preventDefault();
    const ids = $("boarding-manifest").value.split(/\s+/).map((s) => s.trim()).filter(Boolean);
    const trip = $("boarding-trip").value;
    if (!trip || !ids.length || !site) { $("boarding-error").hidden = false; return; }
    $("boarding-error").hidden = true;
    await Outbox.add(operation, reference.clock, { kind: "boarding", trip: trip, site: site, manifest: ids });
    $("boarding-manifest").value = "";
    toast(T.saved);
    show("queue");
    kick();
  }

  /* ---- the queue ---- */
  async function drawQueue() {
    const entries = (await Outbox.all()).filter((e) => e.operation === operation).reverse();
    const tally = { pending: 0, sent: 0, refused: 0 };
    for (const e of entries) tally[e.state] += 1;
    $("pending-badge").textContent = String(tally.pending);
    app.dataset.pending = String(tally.pending);
    app.dataset.sent = String(tally.sent);
    app.dataset.refused = String(tally.refused);
    const signedOut = await Outbox.meta("signedOut");
    $("queue-summary").textContent = fill(T.queue, tally) + (signedOut && tally.pending ? " · " + T.signin : "");
    if (app.dataset.screen !== "queue") return;
    const list = $("queue-list");
    if (!entries.length) { list.replaceChildren(el("li", { class: "muted", text: T.none })); return; }
    list.replaceChildren(...entries.map((e) => {
      const c = e.capture;
      const what = (T[c.kind] || c.kind) + (c.trip ? " · " + c.trip : "") + " · " + siteName(c.site);
      const state = e.blocked ? T.blocked : T[e.state];
      const row = el("li", { class: "entry " + e.state, "data-key": e.key, "data-state": e.state }, [
        el("strong", { text: what }),
        el("span", { class: "state", text: state }),
        el("time", { datetime: c.at, text: new Date(c.at).toLocaleString(document.documentElement.lang) }),
      ]);
      if (e.reason) row.append(el("p", { class: e.state === "refused" ? "error reason" : "reason", text: e.reason }));
      if (e.alerts && e.alerts.length) row.append(el("p", { class: "alerts", text: e.alerts.join(", ") }));
      return row;
    }));
  }

  /* ---- sending ---- */
  async function syncNow() {
    clearTimeout(retryTimer);
    const done = await Outbox.sync();
    await drawQueue();
    const left = (await Outbox.counts()).pending;
    if (done.stopped === "retry" && left) {
      failures += 1;
      const delay = Math.min(60000, 1000 * 2 ** Math.min(failures, 6)) * (0.75 + Math.random() / 2);
      retryTimer = setTimeout(syncNow, delay);
    } else {
      failures = 0;
      if (done.sent) loadReference();
    }
  }

  /* Send now when online; also ask the worker for a Background Sync, which the browser
     runs when the connection returns even if this page is closed by then. */
  async function kick() {
    await drawQueue();
    if (navigator.onLine) syncNow();
    if ("serviceWorker" in navigator && "SyncManager" in window && navigator.serviceWorker.controller) {
      try {
        const registration = await navigator.serviceWorker.getRegistration("/field/");
        if (registration) await registration.sync.register("outbox");
      } catch (unavailable) { /* the page's own retries with backoff remain */ }
    }
  }

  function drawNet() {
    $("net").textContent = navigator.onLine ? T.online : T.offline;
    $("net").className = "net " + (navigator.onLine ? "on" : "off");
  }

  /* ---- start ---- */
  for (const b of document.querySelectorAll("[data-screen]")) b.addEventListener("click", () => show(b.dataset.screen));
  $("count-form").addEventListener("submit", saveCount);
  $("incident-form").addEventListener("submit", saveIncident);
  $("boarding-form").addEventListener("submit", saveBoarding);
  $("sync-now").addEventListener("click", syncNow);
  window.addEventListener("online", () => { drawNet(); failures = 0; syncNow(); });
  window.addEventListener("offline", drawNet);
  if (typeof BroadcastChannel !== "undefined") {
    new BroadcastChannel(Outbox.CHANNEL).onmessage = () => drawQueue();
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).then(() => {
      app.dataset.worker = "registered";
    }).catch(() => { app.dataset.worker = "failed"; });
  }
  drawNet();
  Outbox.meta("csrf", app.dataset.csrf).then(async () => {
    show(site ? "due" : "site");
    await loadReference();
    await drawQueue();
    if (navigator.onLine) syncNow();
  });
})();
