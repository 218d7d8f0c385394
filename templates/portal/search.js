// Full-text search of the notes with the static index Pagefind built (../pagefind/). The
// index of this page's language is used; results link to the day pages.
const form = document.getElementById("search");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = new URL("../", document.baseURI);
let engine = null;

async function load() {
  if (engine === null) {
    const module = await import(new URL(form.dataset.bundle, document.baseURI).href);
    await module.options({ excerptLength: 24 });
    await module.init();
    engine = module;
  }
  return engine;
}

// The excerpt's text and its <mark> highlights, nothing else.
function fill(element, html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      element.append(mark);
    } else {
      element.append(node.textContent);
    }
  }
}

async function find(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = form.dataset.searching;
  let found;
  try {
    found = await (await load()).search(query);
  } catch (error) {
    status.textContent = form.dataset.unavailable;
    return;
  }
  const results = await Promise.all(found.results.slice(0, 50).map((r) => r.data()));
  status.textContent = results.length
    ? form.dataset.found.replace("%(count)s", String(found.results.length))
    : form.dataset.none;
  for (const result of results) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = new URL(result.url.replace(/^\/+/, ""), root).href;
    link.textContent = (result.meta && result.meta.title) || result.url;
    const excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    fill(excerpt, result.excerpt || "");
    item.append(link, excerpt);
    list.append(item);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = form.q.value;
  try {
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
  } catch (error) {
    // some browsers refuse this on file: pages; the search still runs
  }
  find(query);
});
const initial = new URLSearchParams(location.search).get("q") || "";
form.q.value = initial;
if (initial) {
  find(initial);
}
