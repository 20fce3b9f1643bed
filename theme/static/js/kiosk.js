/* The kiosk edition's behaviour (plugins/kiosk), driven by data- attributes only:
   - data-kiosk-text="larger|smaller": text size, kept for the visit (sessionStorage); at the
     largest or smallest size its button is disabled and reads its data-kiosk-limit;
   - data-kiosk-back: go back in history when there is a page to go back to;
   - body[data-kiosk-idle] seconds without a touch: a countdown of data-kiosk-countdown
     seconds offers "Tiếp tục"; then the kiosk home (body[data-kiosk-home]), text size reset;
   - on the home ([data-kiosk-attract]), being idle starts the attract loop instead: the
     [data-kiosk-slide] items one after the other, until a touch;
   - audio and video get large controls (play/pause, a time bar, the time) instead of the
     browser's small ones; while one plays the kiosk is not idle;
   - body[data-kiosk-saved] (set by the service worker, kiosk/sw.js, on a saved copy served
     because the network failed or was too slow): [data-kiosk-saved-notice] shows its date. */
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
  var sizeButtons = document.querySelectorAll("[data-kiosk-text]");
  function showLimits() {
    sizeButtons.forEach(function (button) {
      var larger = button.getAttribute("data-kiosk-text") === "larger";
      button.disabled = larger ? size() >= MAX_SIZE : size() <= 0;
      if (!button.hasAttribute("data-kiosk-label")) {
        button.setAttribute("data-kiosk-label", button.textContent);
      }
      button.textContent = button.getAttribute(button.disabled ? "data-kiosk-limit"
                                                               : "data-kiosk-label");
    });
  }
  setSize(size());
  showLimits();
  sizeButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      setSize(size() + (button.getAttribute("data-kiosk-text") === "larger" ? 1 : -1));
      showLimits();
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
    showLimits();
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
      showLimits();
      startAttract();
    } else {
      startCountdown();
    }
  }
  var media = document.querySelectorAll(".hq-kiosk-main audio, .hq-kiosk-main video");
  function playing() {
    return Array.prototype.some.call(media, function (m) { return !m.paused && !m.ended; });
  }
  function touched(event) {
    stopAttract();
    stopCountdown();
    if (event && (event.type === "keydown" || event.type === "wheel" || event.type === "play")) {
      if (dialog) { dialog.hidden = true; }  // no click follows these
      if (attract) { attract.hidden = true; }
    }
    clearTimeout(idleTimer);
    // Nobody touches a screen while listening or watching: the timer waits for the end.
    if (!playing()) { idleTimer = setTimeout(whenIdle, idleSeconds * 1000); }
  }
  ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, touched, {passive: true});
  });
  // Media events do not bubble: listened to on the way down.
  ["play", "pause", "ended"].forEach(function (name) {
    document.addEventListener(name, touched, true);
  });
  var again = document.querySelector("[data-kiosk-continue]");
  if (again) { again.addEventListener("click", touched); }
  touched();

  // Large media controls: the browser's own are about 10 px, with 12 px time text.
  function clock(seconds) {
    seconds = isFinite(seconds) ? Math.floor(seconds) : 0;
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }
  function element(tag, className, text) {
    var made = document.createElement(tag);
    made.className = className;
    if (text) { made.textContent = text; }
    return made;
  }
  media.forEach(function (player) {
    var controls = element("div", "hq-kiosk-player");
    var play = element("button", "hq-kiosk-button hq-kiosk-player__play", "Phát");
    play.type = "button";
    var bar = element("input", "hq-kiosk-player__bar");
    bar.type = "range";
    bar.min = "0";
    bar.step = "any";
    bar.value = "0";
    bar.setAttribute("aria-label", "Vị trí đang phát");
    var time = element("p", "hq-kiosk-player__time", "0:00 / 0:00");
    controls.append(play, bar, time);
    player.removeAttribute("controls");
    player.after(controls);
    function show() {
      var now = clock(player.currentTime), total = clock(player.duration);
      time.textContent = now + " / " + total;
      bar.max = String(isFinite(player.duration) ? player.duration : 0);
      bar.value = String(player.currentTime);
      bar.setAttribute("aria-valuetext", now + " trên " + total);
      play.textContent = player.paused || player.ended ? "Phát" : "Tạm dừng";
    }
    ["loadedmetadata", "durationchange", "timeupdate", "play", "pause", "ended"].forEach(
      function (name) { player.addEventListener(name, show); });
    play.addEventListener("click", function () {
      if (player.paused || player.ended) { player.play().catch(function () {}); }
      else { player.pause(); }
    });
    bar.addEventListener("input", function () { player.currentTime = Number(bar.value); });
    if (player.tagName === "VIDEO") {
      player.addEventListener("click", function () { play.click(); });
    }
    show();
  });

  var saved = body.getAttribute("data-kiosk-saved");
  var notice = document.querySelector("[data-kiosk-saved-notice]");
  if (saved !== null && notice) {
    var when = new Date(saved);
    notice.textContent = "Mạng đang chậm hoặc mất: đây là bản lưu trên máy" + (isNaN(when) ? "." :
      " ngày " + when.toLocaleDateString("vi-VN", {timeZone: "Asia/Ho_Chi_Minh",
        day: "2-digit", month: "2-digit", year: "numeric"}) + ".");
    notice.hidden = false;
  }

  // Offline: the service worker beside the kiosk home keeps the kiosk pages (needs HTTPS or
  // 127.0.0.1; elsewhere the browser refuses and the kiosk works online only).
  if ("serviceWorker" in navigator && body.hasAttribute("data-kiosk-worker")) {
    navigator.serviceWorker.register(body.getAttribute("data-kiosk-worker"),
                                     {scope: home}).catch(function () {});
  }
})();
