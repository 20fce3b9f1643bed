/* The kiosk's service worker (written by plugins/kiosk/offline.py; do not edit sw.js). Pages
   come from the network when it answers, else from the copy saved at the first visit; files
   (pictures, audio, styles) from the copy first. Audio asks for byte ranges: served from the
   copy too. LISTS name JSON lists of further files written after Pelican (the kiosk's search
   index, by plugins/search): saved too when they exist. They change only with the kiosk pages
   they were made from, and so with this file's version. */
"use strict";
var CACHE = "hq-kiosk-@@VERSION@@";
var URLS = @@URLS@@;
var LISTS = @@LISTS@@;

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

function ranged(request, response) {
  var range = /bytes=(\d*)-(\d*)/.exec(request.headers.get("range") || "");
  if (!range) { return response; }
  return response.arrayBuffer().then(function (body) {
    var start = range[1] ? Number(range[1]) : 0;
    var end = range[2] ? Number(range[2]) : body.byteLength - 1;
    return new Response(body.slice(start, end + 1), {
      status: 206,
      headers: {"Content-Type": response.headers.get("Content-Type") || "",
                "Content-Range": "bytes " + start + "-" + end + "/" + body.byteLength,
                "Content-Length": String(end - start + 1)}
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) { return; }
  var url = request.url.split("#")[0].split("?")[0];
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(url, {ignoreSearch: true});
    }));
    return;
  }
  event.respondWith(caches.match(url, {ignoreSearch: true}).then(function (saved) {
    return saved ? ranged(request, saved) : fetch(request);
  }));
});
