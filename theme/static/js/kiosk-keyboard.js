/* The kiosk search page's on-screen keyboard (plugins/kiosk, theme/templates/kiosk/search.html),
   driven by data- attributes only:
   - [data-kiosk-keyboard]: the keyboard, hidden until this script runs (its keys need it);
   - [data-key="a"]: types its letter (or a space) where the caret is in the box;
   - [data-key-action="backspace|clear"]: removes one character / everything;
   - [data-kiosk-keyboard-input]: the box; the system's own on-screen keyboard stays away
     (inputmode "none"), a physical keyboard still types;
   - [data-kiosk-keyboard-fallback]: the box's own "Tìm" button, hidden: the keyboard has one.
   The search itself is theme/static/js/search.js, on the form's submit. */
(function () {
  "use strict";
  var keyboard = document.querySelector("[data-kiosk-keyboard]");
  var input = document.querySelector("[data-kiosk-keyboard-input]");
  if (!keyboard || !input) { return; }

  function type(text) {
    var start = input.selectionStart === null ? input.value.length : input.selectionStart;
    var end = input.selectionEnd === null ? start : input.selectionEnd;
    input.setRangeText(text, start, end, "end");
  }
  function backspace() {
    var end = input.selectionEnd === null ? input.value.length : input.selectionEnd;
    var start = input.selectionStart === null ? end : input.selectionStart;
    if (start === end && start > 0) { start -= 1; }
    input.setRangeText("", start, end, "end");
  }

  keyboard.addEventListener("click", function (event) {
    var key = event.target.closest("button");
    if (!key || key.type === "submit") { return; }  // "Tìm" submits the form
    if (key.hasAttribute("data-key")) {
      type(key.getAttribute("data-key"));
    } else if (key.getAttribute("data-key-action") === "backspace") {
      backspace();
    } else if (key.getAttribute("data-key-action") === "clear") {
      input.value = "";
    }
    input.dispatchEvent(new Event("input", {bubbles: true}));
  });

  input.setAttribute("inputmode", "none");
  input.selectionStart = input.selectionEnd = input.value.length;
  document.querySelectorAll("[data-kiosk-keyboard-fallback]").forEach(function (button) {
    button.hidden = true;
  });
  keyboard.hidden = false;
})();
