/* The kiosk's service worker (written by plugins/kiosk/offline.py; do not edit sw.js). Pages
   come from the network when it answers within TIMEOUT_MS (KIOSK_NETWORK_TIMEOUT_SECONDS), else
   from the copy saved at the first visit, marked so the page says how old it is; an answer that
   comes late still refreshes the copy. Files (pictures, audio, styles) come from the copy
   first. Audio and video ask for byte ranges: answered from the copy too (RFC 9110 §14).
   LISTS name JSON lists of further files written after Pelican (the kiosk's search index, by
   plugins/search): saved too when they exist. They change only with the kiosk pages they were
   made from, and so with this file's version. */
"use strict";
var CACHE = "hq-kiosk-@@VERSION@@";
var URLS = @@URLS@@;
var LISTS = @@LISTS@@;
var TIMEOUT_MS = @@TIMEOUT_MS@@;

function listed(name) {
  return fetch(name, {cache: "no-cache"}).then(function (response) {
    return response.ok ? response.json() : [];
  }).catch(function () { return []; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(LISTS.map(listed)).then(function (lists) {
      return cache.addAll(URLS.concat.apply(URLS, lists));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("hq-kiosk-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

/* The part of `body` a Range header asks for (one range; a list of ranges gets the whole
   body, which RFC 9110 allows): {start, end} inclusive, "unsatisfiable", or null for none. */
function rangeOf(header, size) {
  var range = /^bytes=(\d*)-(\d*)$/.exec((header || "").trim());
  if (!range || (!range[1] && !range[2])) { return null; }
  var start, end;
  if (!range[1]) {  // a suffix: the last N bytes
    var length = Number(range[2]);
    if (length === 0) { return "unsatisfiable"; }
    start = Math.max(0, size - length);
    end = size - 1;
  } else {
    start = Number(range[1]);
    if (range[2] && Number(range[2]) < start) { return null; }  // invalid: ignored
    end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;  // clamped to the end
  }
  return start >= size ? "unsatisfiable" : {start: start, end: end};
}

function ranged(request, response) {
  var header = request.headers.get("range");
  if (!header) { return response; }
  return response.arrayBuffer().then(function (body) {
    var size = body.byteLength;
    var range = rangeOf(header, size);
    var type = response.headers.get("Content-Type") || "application/octet-stream";
    if (range === null) {
      return new Response(body, {status: 200, headers: {"Content-Type": type,
                                                        "Content-Length": String(size)}});
    }
    if (range === "unsatisfiable") {
      return new Response(null, {status: 416, headers: {"Content-Range": "bytes */" + size}});
    }
    return new Response(body.slice(range.start, range.end + 1), {
      status: 206,
      headers: {"Content-Type": type, "Accept-Ranges": "bytes",
                "Content-Range": "bytes " + range.start + "-" + range.end + "/" + size,
                "Content-Length": String(range.end - range.start + 1)}
    });
  });
}

/* The saved page, its <body> marked with the date it was saved (theme/static/js/kiosk.js
   shows it). */
function markedCopy(saved) {
  var when = saved.headers.get("Date") || "";
  return saved.text().then(function (html) {
    var headers = new Headers(saved.headers);
    headers.delete("Content-Length");
    return new Response(html.replace(/<body\b/i, '<body data-kiosk-saved="' +
                                     when.replace(/[^\w ,:+-]/g, "") + '"'),
                        {status: saved.status, headers: headers});
  });
}

function page(event, url) {
  // "no-cache": asks the server again, never the browser's HTTP cache (a kiosk page's file
  // carries no lifetime; a guessed one could show an old page with the network up).
  var network = fetch(event.request, {cache: "no-cache"}).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(url, copy); }));
    }
    return response;
  });
  event.waitUntil(network.catch(function () {}));  // a late answer still refreshes the copy
  var late = new Promise(function (resolve) { setTimeout(resolve, TIMEOUT_MS); });
  var first = Promise.race([network, late]).catch(function () {});
  return first.then(function (response) {
    if (response) { return response; }
    return caches.match(url, {ignoreSearch: true}).then(function (saved) {
      return saved ? markedCopy(saved) : network;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) { return; }
  var url = request.url.split("#")[0].split("?")[0];
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
    return;
  }
  event.respondWith(caches.match(url, {ignoreSearch: true}).then(function (saved) {
    return saved ? ranged(request, saved) : fetch(request);
  }));
});
