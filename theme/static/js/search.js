// The search pages (plugins/search): asks a Pagefind index and lists the results with their
// date, commune, type and an excerpt with the matched words marked. Loaded on the search
// pages only (the site's and the kiosk's). Without it the page shows links to browse instead.
// The form's data-search-bundle names the index's folder (the kiosk's own, relative to the
// page); else the main index at the site root. Pagefind makes each result's URL from where
// its bundle lies, so a kiosk result stays in the kiosk.
// Matching: Pagefind (1.5) folds tone marks, not đ, a letter of its own. The index spells đ
// as d + U+0335 (newsdesk/content/text.py, stroked_d), which Pagefind folds to d; `folded`
// below makes a query plain lower-case letters, so "dong no", "ĐỒNG NƠ" and "Đồng Nơ" are one
// query, found and ranked alike. What the index returns is shown `unstroked`, with its đ.
// Speed on a slow phone: the search page preloads this script, Pagefind's, its WebAssembly
// and phan.json; the index starts loading as this script runs, before any query, its entries
// and metadata all at once (`prefetched`, as phan.json names them) with the index chunks a
// query in the page's address needs (`chunksFor`); Pagefind runs
// on the page, not in a worker (whose script would be one more round trip, and whose start
// Pagefind gives up on after 5 s); the first five results show as soon as their fragments
// come, the rest after. A large index comes in shards (plugins/search/index.py): the
// bundle's phan.json names the others, merged into one search, and every shard's metadata.
const form = document.querySelector("[data-search-form]");
const results = document.querySelector("[data-search-results]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-list]");
const bundle = form && form.dataset.searchBundle
  ? new URL(form.dataset.searchBundle + "pagefind.js", document.baseURI).href
  : new URL("../../pagefind/pagefind.js", import.meta.url).href;
const FIRST = 5;  // results shown before the next ones are fetched
const SHOWN = 20;
let pagefind = null;

/** A query as the index matches it: NFD, no marks, đ as d, lower case. */
function folded(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đð]/g, "d")
    .replace(/[ĐÐ]/g, "D").toLowerCase();
}

/** A filter's value as the index spells it (stroked_d). */
function stroked(text) {
  return text.normalize("NFC").replace(/[đð]/g, "d\u0335").replace(/[ĐÐ]/g, "D\u0335");
}

/** Text from the index, with its đ back. */
function unstroked(text) {
  return text.replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
}

/** Start loading the index; `query` (from the page's address): its index chunks too. */
function engine(query = "") {
  if (!pagefind) {
    // All at once: on a slow phone each round trip counts.
    const listed = fetch(new URL("phan.json", bundle))
      .then((response) => (response.ok ? response.json() : { shards: [], meta: [] }))
      .then(({ shards, meta, chunks }) => {
        for (const url of chunksFor(folded(query), chunks || [])) {
          fetch(new URL(url, bundle)).catch(() => {});
        }
        return { shards, tags: prefetched(meta) };
      });
    pagefind = Promise.all([import(bundle), listed])
      .then(async ([loaded, { shards, tags }]) => {
        await loaded.options({ excerptLength: 24, noWorker: true, metaCacheTag: tags[""] });
        await loaded.init();
        await Promise.all(shards.map((shard) => loaded.mergeIndex(new URL(shard, bundle).href,
                                                                  { metaCacheTag: tags[shard] })));
        return loaded;
      });
    pagefind.catch(() => { pagefind = null; });  // a later search tries again
  }
  return pagefind;
}

/** Fetch each shard's entry and metadata now, together, so that they are in the HTTP cache
    when Pagefind asks for them (else: the entry once Pagefind's script runs, then the
    metadata it names).
    An entry is asked for with its metadata's hash as Pagefind's cache tag (?ts=): the two
    change together. Returns {shard folder: tag}. */
function prefetched(metas) {
  const tags = {};
  for (const meta of metas) {
    const [, folder, tag] = meta.match(/^(.*?)pagefind\.(.+)\.pf_meta$/) || [];
    if (tag === undefined || folder in tags) continue;
    tags[folder] = tag;
    for (const url of [`${folder}pagefind-entry.json?ts=${tag}`, meta]) {
      fetch(new URL(url, bundle)).catch(() => {});
    }
  }
  return tags;
}

/** The index chunks ([first word, last word, file]) that hold a word starting with a term of
    `query`, as Pagefind chooses them. */
function chunksFor(query, chunks) {
  const terms = query.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return chunks.filter(([first, last]) => terms.some((term) =>
    first.slice(0, term.length) <= term && term <= last.slice(0, term.length)))
    .map(([, , url]) => url);
}

function filtersOf(data) {
  const filters = {};
  for (const name of ["xa", "loai"]) {
    if (data.get(name)) filters[name] = stroked(data.get(name));
  }
  return filters;
}

/** The excerpt's text and <mark>s as nodes: nothing else of it reaches the page. */
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  return [...parsed.childNodes].map((node) => {
    const text = unstroked(node.textContent);
    if (node.nodeName !== "MARK") return document.createTextNode(text);
    const mark = document.createElement("mark");
    mark.textContent = text;
    return mark;
  });
}

function resultItem(found) {
  const item = document.createElement("li");
  item.className = "hq-search__result";
  const link = document.createElement("a");
  link.href = found.url;
  link.textContent = unstroked(found.meta.title || found.url);
  const heading = document.createElement("h3");
  heading.append(link);
  const facts = document.createElement("p");
  facts.className = "hq-search__facts";
  facts.textContent = unstroked([found.meta.date, found.meta.xa, found.meta.loai]
    .filter(Boolean).join(" · "));
  item.append(heading, facts);
  if (found.excerpt) {
    const excerpt = document.createElement("p");
    excerpt.className = "hq-search__excerpt";
    excerpt.append(...excerptNodes(found.excerpt));
    item.append(excerpt);
  }
  return item;
}

/** Show `found` in order, each as soon as it and those before it have come. */
async function showInOrder(found) {
  const items = found.map(() => null);
  let next = 0;
  await Promise.all(found.map(async (result, index) => {
    items[index] = resultItem(await result.data());
    while (next < items.length && items[next]) list.append(items[next++]);
  }));
}

async function search(data) {
  const query = (data.get("q") || "").normalize("NFC").trim();
  results.hidden = false;
  results.dataset.state = "searching";
  list.replaceChildren();
  if (!folded(query).trim()) {
    status.textContent = "Hãy gõ từ khóa cần tìm.";
    results.dataset.state = "done";
    return;
  }
  status.textContent = "Đang tìm…";
  const found = await (await engine()).search(folded(query), { filters: filtersOf(data) });
  const count = found.results.length;
  status.textContent = count
    ? `Tìm thấy ${count} kết quả cho “${query}”.`
    : `Không tìm thấy kết quả nào cho “${query}”.`;
  status.focus();  // brings the count into view and has it read out
  await showInOrder(found.results.slice(0, FIRST));
  await showInOrder(found.results.slice(FIRST, SHOWN));
  results.dataset.state = "done";  // for tests and assistive tools: the list is complete
}

if (form) {
  const params = new URLSearchParams(window.location.search);
  engine(params.get("q") || "");  // the index starts loading now, not on the first query
  const note = document.querySelector("[data-search-nojs]");
  if (note) note.hidden = true;
  for (const name of ["q", "xa", "loai"]) {
    if (params.get(name) && form.elements[name]) form.elements[name].value = params.get(name);
  }
  const filters = form.querySelector("[data-search-filters]");
  if (filters && (params.get("xa") || params.get("loai"))) filters.open = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const url = new URL(window.location.href);
    url.search = new URLSearchParams([...data].filter(([, v]) => v)).toString();
    window.history.replaceState(null, "", url);
    search(data).catch(() => {
      status.textContent = "Chưa tìm được: hãy thử lại sau.";
      results.dataset.state = "failed";
    });
  });
  if (params.get("q")) form.requestSubmit();
}
