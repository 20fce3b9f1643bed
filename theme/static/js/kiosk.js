/* The kiosk edition's behaviour (plugins/kiosk), driven by data- attributes only:
   - data-kiosk-text="larger|smaller": text size, kept for the visit (sessionStorage);
   - data-kiosk-back: go back in history when there is a page to go back to;
   - body[data-kiosk-idle] seconds without a touch: a countdown of data-kiosk-countdown
     seconds offers "Tiếp tục"; then the kiosk home (body[data-kiosk-home]), text size reset;
   - on the home ([data-kiosk-attract]), being idle starts the attract loop instead: the
     [data-kiosk-slide] items one after the other, until a touch. */
(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
  var SIZE_KEY = "hq-kiosk-size";
  var MAX_SIZE = 2;

  function size() { return Number(sessionStorage.getItem(SIZE_KEY) || 0); }
  function setSize(value) {
    value = Math.max(0, Math.min(MAX_SIZE, value));
    sessionStorage.setItem(SIZE_KEY, String(value));
    if (value) { root.setAttribute("data-kiosk-size", String(value)); }
    else { root.removeAttribute("data-kiosk-size"); }
  }
  setSize(size());
  document.querySelectorAll("[data-kiosk-text]").forEach(function (button) {
    button.addEventListener("click", function () {
      setSize(size() + (button.getAttribute("data-kiosk-text") === "larger" ? 1 : -1));
    });
  });

  document.querySelectorAll("[data-kiosk-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (history.length > 1 && document.referrer &&
          new URL(document.referrer).origin === location.origin) {
        event.preventDefault();
        history.back();
      }
    });
  });

  var idleSeconds = Number(body.getAttribute("data-kiosk-idle")) || 90;
  var countdownSeconds = Number(body.getAttribute("data-kiosk-countdown")) || 15;
  var home = body.getAttribute("data-kiosk-home") || "./";
  var dialog = document.querySelector("[data-kiosk-idle-dialog]");
  var shown = document.querySelector("[data-kiosk-countdown-value]");
  var idleTimer = null;
  var tick = null;
  var left = 0;

  function goHome() {
    sessionStorage.removeItem(SIZE_KEY);
    root.removeAttribute("data-kiosk-size");
    window.scrollTo(0, 0);
    var target = new URL(home, location.href);
    if (target.href === location.href.split("#")[0]) {
      location.reload();
    } else {
      location.assign(target.href);
    }
  }
  function stopCountdown() {
    if (tick) { clearInterval(tick); tick = null; }
  }
  if (dialog) {
    // Hidden on the click, not on the touch that starts it, so the tap opens nothing beneath.
    dialog.addEventListener("click", function () { dialog.hidden = true; });
  }
  function startCountdown() {
    left = countdownSeconds;
    if (shown) { shown.textContent = String(left); }
    if (dialog) { dialog.hidden = false; dialog.querySelector("[data-kiosk-continue]").focus(); }
    tick = setInterval(function () {
      left -= 1;
      if (shown) { shown.textContent = String(Math.max(left, 0)); }
      if (left <= 0) { clearInterval(tick); tick = null; goHome(); }
    }, 1000);
  }
  var attract = document.querySelector("[data-kiosk-attract]");
  var slides = attract ? attract.querySelectorAll("[data-kiosk-slide]") : [];
  var slideTimer = null;
  var shownSlide = 0;
  var SLIDE_SECONDS = Math.max(2, Math.min(8, idleSeconds / 2));

  function startAttract() {
    window.scrollTo(0, 0);
    attract.hidden = false;
    slideTimer = setInterval(function () {
      slides[shownSlide].hidden = true;
      shownSlide = (shownSlide + 1) % slides.length;
      slides[shownSlide].hidden = false;
    }, SLIDE_SECONDS * 1000);
  }
  function stopAttract() {
    if (slideTimer) { clearInterval(slideTimer); slideTimer = null; }
  }
  if (attract) {
    // Hidden on the click, not on the touch that starts it, so the tap opens nothing beneath.
    attract.addEventListener("click", function () { attract.hidden = true; });
  }
  function whenIdle() {
    if (attract && slides.length) {
      sessionStorage.removeItem(SIZE_KEY);
      root.removeAttribute("data-kiosk-size");
      startAttract();
    } else {
      startCountdown();
    }
  }
  function touched(event) {
    stopAttract();
    stopCountdown();
    if (event && (event.type === "keydown" || event.type === "wheel")) {
      if (dialog) { dialog.hidden = true; }  // no click follows these
      if (attract) { attract.hidden = true; }
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(whenIdle, idleSeconds * 1000);
  }
  ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, touched, {passive: true});
  });
  var again = document.querySelector("[data-kiosk-continue]");
  if (again) { again.addEventListener("click", touched); }
  touched();

  // Offline: the service worker beside the kiosk home keeps the kiosk pages (needs HTTPS or
  // 127.0.0.1; elsewhere the browser refuses and the kiosk works online only).
  if ("serviceWorker" in navigator && body.hasAttribute("data-kiosk-worker")) {
    navigator.serviceWorker.register(body.getAttribute("data-kiosk-worker"),
                                     {scope: home}).catch(function () {});
  }
})();
