// The map (Leaflet over the bundled Natural Earth boundaries), the stale marker, and
// keeping what a user is typing. Panels themselves are plain htmx: on each `changed`
// server-sent event one element (#live-panels) fetches the changed panels at once and
// htmx swaps each into place out of band (decision 0027).
(function () {
  "use strict";
  var stale = document.getElementById("stale");
  // "lost": the stream dropped (until it reopens); "behind": a refresh failed (until one works).
  function mark(state) {
    document.body.dataset.live = state;
    if (stale) stale.hidden = state === "open";
  }
  document.body.addEventListener("htmx:sseError", function () { mark("lost"); });
  // A reopened stream may be a new one that sent no Last-Event-ID: refresh once anyway.
  document.body.addEventListener("htmx:sseOpen", function () {
    var was = document.body.dataset.live;
    mark("open");
    var panels = document.getElementById("live-panels");
    if (was && was !== "open" && panels && window.htmx) htmx.trigger(panels, "reopened");
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.status === 401) {  // htmx follows HX-Redirect itself: go once, not twice
      if (!xhr.getResponseHeader("HX-Redirect")) window.location.assign("/");
      return;
    }
    if (!e.detail.elt || e.detail.elt.id !== "live-panels") return;
    if (!e.detail.successful) { mark("behind"); return; }
    if (document.body.dataset.live === "behind") mark("open");
    var held = xhr.getResponseHeader("X-Corridor-Panels");
    if (held !== null) e.detail.elt.dataset.versions = held;
  });
  // The panels refresh names the versions this page holds; only changed panels come back.
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (e.detail.elt.id === "live-panels" && e.detail.elt.dataset.versions) {
      e.detail.headers["X-Corridor-Panels"] = e.detail.elt.dataset.versions;
    }
  });
  // A form field the user is in, or has changed, survives a panel's swap: htmx keeps the
  // element itself (hx-preserve) when the new fragment has one of the same id.
  function changed(field) {
    if (field.options) {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].selected !== field.options[i].defaultSelected) return true;
      }
      return false;
    }
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    return field.value !== field.defaultValue;
  }
  document.body.addEventListener("htmx:oobBeforeSwap", function (e) {
    var fields = e.detail.target.querySelectorAll("input[id], select[id], textarea[id]");
    fields.forEach(function (field) {
      if (field !== document.activeElement && !changed(field)) return;
      var fresh = e.detail.fragment.querySelector("#" + CSS.escape(field.id));
      if (fresh) fresh.setAttribute("hx-preserve", "true");
    });
  });

  var box = document.getElementById("map");
  if (!box || !window.L) return;
  var map = L.map(box, { attributionControl: true, zoomSnap: 0.5 }).setView([36.2, 37.1], 9);
  map.attributionControl.setPrefix(false).addAttribution("Natural Earth");
  var boundaries = null;
  var tiles = null;
  fetch(box.dataset.boundaries).then(function (r) { return r.json(); }).then(function (world) {
    var countries = topojson.feature(world, world.objects.countries);
    boundaries = L.geoJSON(countries, { interactive: false,
      style: { color: "#7a8a99", weight: 1, fillColor: "#f4f1ea", fillOpacity: tiles ? 0.25 : 1 } })
      .addTo(map).bringToBack();
  });
  // Online tiles, only when the server was started with a tile URL: under the boundaries,
  // which then let them show through.
  function online(url) {
    if (tiles || !url) return;
    tiles = L.tileLayer(url, { maxZoom: 18 }).addTo(map);
    map.attributionControl.addAttribution(new URL(url).host);
    if (boundaries) boundaries.setStyle({ fillOpacity: 0.25 });
    box.dataset.tiles = "on";
  }
  var arabic = document.documentElement.lang === "ar";
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "en");
  function fmt(n) { return numbers.format(n); }
  // Occupancy against places: pale under half, amber to three quarters, red when nearly full.
  function occupancy(share) { return share < 0.5 ? "#e6dcf0" : share < 0.9 ? "#f0a500" : "#a4000f"; }
  function text(s) { var e = document.createElement("span"); e.textContent = s; return e; }
  var overlay = null;
  var fitted = false;
  var colour = { link: "#8a8a8a", corridor: "#1d6b2f" };
  function draw(data) {
    if (overlay) overlay.remove();
    overlay = L.geoJSON(data, {
      style: function (f) {
        var layer = f.properties.layer;
        if (f.geometry.type === "Point") return {};
        return { color: colour[layer] || "#555", weight: layer === "corridor" ? 5 : 2, opacity: 0.8 };
      },
      pointToLayer: function (f, at) {
        var p = f.properties;
        if (p.layer === "trips") {
          return L.circleMarker(at, { radius: 6 + Math.min(14, Math.sqrt(p.trips) * 2),
            color: p.halted ? "#a4000f" : "#0b4f8a", fillOpacity: 0.7,
            className: p.halted ? "halted-trips" : "trips" })
            .bindTooltip(text(p.site + ": " + p.trips + " / " + p.people));
        }
        if (p.layer === "halted-trip") {
          // Drawn where it halted, with words saying where it was counted and since when.
          return L.circleMarker(at, { radius: 7 + Math.min(8, Math.sqrt(p.people) / 2),
            color: "#a4000f", weight: 3, fillColor: "#fff", fillOpacity: 0.9,
            dashArray: p.estimated ? "4" : null, className: "halted-trips halted-trip" })
            .bindTooltip(text(p.trip + " · " + fmt(p.people)))
            .bindPopup(text(p.trip + ": " + p.words));
        }
        if (p.layer === "incident") {
          return L.circleMarker(at, { radius: 4 + 2 * (p.severity || 1), color: "#f0a500",
            dashArray: p.status === "verified" ? null : "3", fillOpacity: 0.3,
            className: "incident " + p.status })
            .bindTooltip(text(p.id + " · " + p.kind + " · " + p.status));
        }
        var name = (arabic && p.name_ar) ? p.name_ar : p.name;
        if (p.shelter) {
          var share = p.checked_in === undefined || !p.places ? null : p.checked_in / p.places;
          var label = share === null ? name + " · " + fmt(p.places)
            : name + " · " + fmt(p.checked_in) + " / " + fmt(p.places);
          return L.circleMarker(at, { radius: 7 + Math.min(10, Math.sqrt(p.places) / 20),
            color: "#6a3d9a", weight: 2, fillColor: share === null ? "#fff" : occupancy(share),
            fillOpacity: 0.9, className: "shelter" })
            .bindTooltip(text(label));
        }
        return L.circleMarker(at, { radius: 4, color: "#333", fillColor: "#fff", fillOpacity: 1 })
          .bindTooltip(text(name + " (" + p.kinds.join(", ") + (p.places ? ", " + fmt(p.places) : "") + ")"));
      }
    }).addTo(map);
    if (!fitted && overlay.getBounds().isValid()) {
      map.fitBounds(overlay.getBounds(), { padding: [20, 20] });
      fitted = true;
    }
  }
  function load() {
    fetch(box.dataset.features, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        online(data.tiles);
        draw(data);
        box.dataset.drawn = String(data.features.length);
      });
  }
  load();
  var pending = null;
  document.body.addEventListener("htmx:sseMessage", function () {
    if (pending) return;
    pending = setTimeout(function () { pending = null; load(); }, 500);
  });
})();
