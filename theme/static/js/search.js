// The search pages (plugins/search): asks a Pagefind index and lists the results with their
// date, commune and type. Loaded on the search pages only. Without it the page shows links
// to browse instead. The form's data-search-bundle names the index's folder (the kiosk's
// own, relative to the page); else the main index at the site root. Pagefind makes each
// result's URL from where its bundle lies, so a kiosk result stays in the kiosk.
// Diacritics: Pagefind (1.5) folds them in the index and the query alike, so "giam ngheo",
// "hoà" and "hòa" (old and new tone placement) meet; the query is only made NFC here, like
// every text on its way in. A large index comes in shards (plugins/search/index.py): the
// bundle's phan.json names the others, merged into one search.
const form = document.querySelector("[data-search-form]");
const results = document.querySelector("[data-search-results]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-list]");
const bundle = form && form.dataset.searchBundle
  ? new URL(form.dataset.searchBundle + "pagefind.js", document.baseURI).href
  : new URL("../../pagefind/pagefind.js", import.meta.url).href;
let pagefind = null;

async function engine() {
  if (!pagefind) {
    // Both at once: on a slow phone each round trip counts.
    const [loaded, listed] = await Promise.all([import(bundle), fetch(new URL("phan.json", bundle))]);
    await loaded.options({ excerptLength: 20 });
    const shards = listed.ok ? await listed.json() : [];  // none listed: an index of one shard
    for (const shard of shards) await loaded.mergeIndex(new URL(shard, bundle).href);
    pagefind = loaded;
  }
  return pagefind;
}

function filtersOf(data) {
  const filters = {};
  if (data.get("xa")) filters.xa = data.get("xa");
  if (data.get("loai")) filters.loai = data.get("loai");
  return filters;
}

function resultItem(found) {
  const item = document.createElement("li");
  item.className = "hq-search__result";
  const link = document.createElement("a");
  link.href = found.url;
  link.textContent = found.meta.title || found.url;
  const heading = document.createElement("h3");
  heading.append(link);
  const facts = document.createElement("p");
  facts.className = "hq-search__facts";
  facts.textContent = [found.meta.date, found.meta.xa, found.meta.loai].filter(Boolean).join(" · ");
  item.append(heading, facts);
  return item;
}

async function search(data) {
  const query = (data.get("q") || "").normalize("NFC").trim();
  results.hidden = false;
  results.dataset.state = "searching";
  list.replaceChildren();
  if (!query) {
    status.textContent = "Hãy gõ từ khóa cần tìm.";
    results.dataset.state = "done";
    return;
  }
  status.textContent = "Đang tìm…";
  const found = await (await engine()).search(query, { filters: filtersOf(data) });
  const pages = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(...pages.map(resultItem));
  status.textContent = pages.length
    ? `Tìm thấy ${found.results.length} kết quả cho “${query}”.`
    : `Không tìm thấy kết quả nào cho “${query}”.`;
  results.dataset.state = "done";  // for tests and assistive tools: the list is complete
}

if (form) {
  const note = document.querySelector("[data-search-nojs]");
  if (note) note.hidden = true;
  const params = new URLSearchParams(window.location.search);
  for (const name of ["q", "xa", "loai"]) {
    if (params.get(name) && form.elements[name]) form.elements[name].value = params.get(name);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const url = new URL(window.location.href);
    url.search = new URLSearchParams([...data].filter(([, v]) => v)).toString();
    window.history.replaceState(null, "", url);
    search(data).catch(() => { status.textContent = "Chưa tìm được: hãy thử lại sau."; });
  });
  if (params.get("q")) form.requestSubmit();
}
