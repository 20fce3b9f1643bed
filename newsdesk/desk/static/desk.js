// The desk without this script works the same (forms post, "Xem trước" is a button); the
// script adds the toolbar, a preview that follows the typing, and drag-and-drop of a photo.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("bai");
  if (!form) return;
  const body = document.getElementById("f-body");
  const toolbar = form.querySelector(".toolbar");
  toolbar.hidden = false;
  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const start = body.selectionStart, end = body.selectionEnd;
    const chosen = body.value.slice(start, end);
    let text;
    if (button.dataset.wrap) text = button.dataset.wrap + (chosen || "chữ") + button.dataset.wrap;
    else if (button.dataset.line) text = chosen.split("\n").map((l) => button.dataset.line + l).join("\n");
    else text = "[" + (chosen || "chữ hiện ra") + "](https://)";
    body.setRangeText(text, start, end, "end");
    body.focus();
    schedule();
  });

  const preview = document.getElementById("xem-truoc");
  let timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  }
  async function refresh() {
    const data = new FormData(form);
    data.delete("photo");
    data.set("action", "preview");
    const answer = await fetch(preview.dataset.url, {method: "POST", body: data,
      headers: {"X-Xem-Truoc": "1"}, credentials: "same-origin"});
    if (answer.ok) preview.innerHTML = await answer.text();  // the build's sanitized HTML
  }
  form.addEventListener("input", (event) => { if (event.target.type !== "file") schedule(); });

  const photo = document.getElementById("f-photo");
  const fieldset = document.getElementById("anh-bai");
  const drop = fieldset.querySelector(".drop");
  drop.hidden = false;
  function show(file) {
    let image = document.getElementById("anh-moi");
    if (!image) {
      image = document.createElement("img");
      image.id = "anh-moi";
      image.className = "current-photo";
      photo.parentElement.after(image);
    }
    image.alt = "Ảnh vừa chọn: " + file.name;
    image.src = URL.createObjectURL(file);
  }
  photo.addEventListener("change", () => { if (photo.files[0]) show(photo.files[0]); });
  fieldset.addEventListener("dragover", (event) => { event.preventDefault(); fieldset.classList.add("over"); });
  fieldset.addEventListener("dragleave", () => fieldset.classList.remove("over"));
  fieldset.addEventListener("drop", (event) => {
    event.preventDefault();
    fieldset.classList.remove("over");
    if (event.dataTransfer.files.length) {
      photo.files = event.dataTransfer.files;
      show(photo.files[0]);
    }
  });
});

// The publish page: follow a run (the page without this script has a link to reload).
document.addEventListener("DOMContentLoaded", () => {
  const follow = async () => {
    const section = document.getElementById("ket-qua-dang");
    if (!section || !section.hasAttribute("data-dang-chay")) return;
    const answer = await fetch("?phan=ket-qua", {credentials: "same-origin"});
    if (answer.ok) section.outerHTML = await answer.text();
    setTimeout(follow, 1000);
  };
  setTimeout(follow, 1000);
});
