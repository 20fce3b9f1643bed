/* Click-to-play YouTube: nothing is loaded from YouTube until the reader presses play.
   The facade is a plain link to the video (works without JavaScript); with JavaScript the
   click swaps it for the privacy-enhanced (youtube-nocookie.com) player. */
(function () {
  "use strict";
  var PLAYER = "https://www.youtube-nocookie.com/embed/";

  function play(event) {
    var link = event.target.closest && event.target.closest(".hq-video__facade");
    if (!link) { return; }
    var box = link.closest("[data-hq-video]");
    var source = box && box.getAttribute("data-hq-video");
    if (!source || source.indexOf(PLAYER) !== 0) { return; }
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.className = "hq-video__frame";
    frame.src = source;
    frame.title = box.getAttribute("data-hq-video-title") || "Video";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    link.replaceWith(frame);
    frame.focus();
  }

  document.addEventListener("click", play);
})();
