// The search page. Progressive enhancement: without JavaScript the page is a list of links.
// The index is made by generator/search.py: a query fetches one small file per word (the words
// sharing its first letters) and the titles of the results it shows, never the whole index.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || !window.fetch || !("normalize" in String.prototype)) { return; }
  var form = box.querySelector("form");
  var input = box.querySelector("input");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-results");
  var more = box.querySelector(".search-more");
  var base = box.getAttribute("data-index");
  var root = box.getAttribute("data-root");
  var PAGE = 10;
  var cache = {};
  var meta = null;
  var shown = 0;
  var matches = [];
  var latest = 0;

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (r.status === 404) { return null; }  // no indexed word starts like this
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      });
    }
    return cache[path];
  }

  // Split words as generator/search.py does: letters and digits, lower case, composed form.
  function words(text) {
    return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  function hex(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  // Every document containing a word that starts with `term`: doc number -> 1 if in its title.
  function postings(term) {
    var key = Array.from(term).slice(0, meta.prefix).join("");
    return load("words/" + hex(key) + ".json").then(function (shard) {
      var found = {};
      if (!shard) { return found; }
      Object.keys(shard).forEach(function (word) {
        if (word.lastIndexOf(term, 0) !== 0) { return; }
        var value = 0;
        shard[word].forEach(function (step) {
          value += step;
          var doc = value >> 1;
          found[doc] = Math.max(found[doc] || 0, (value & 1) + (word === term ? 1 : 0));
        });
      });
      return found;
    });
  }

  function say(template, count) {
    status.textContent = box.getAttribute(template).replace("{count}", count.toLocaleString(document.documentElement.lang));
  }

  function search(query) {
    var run = ++latest;
    var common = meta.common;
    var terms = words(query).filter(function (t) { return common.indexOf(t) < 0; });
    terms = terms.filter(function (t, i) { return terms.indexOf(t) === i; });
    list.textContent = "";
    more.hidden = true;
    if (!terms.length) { status.textContent = ""; return; }
    Promise.all(terms.map(postings)).then(function (each) {
      if (run !== latest) { return; }
      var score = {};
      Object.keys(each[0]).forEach(function (doc) {
        var total = 0;
        for (var i = 0; i < each.length; i++) {
          if (!(doc in each[i])) { return; }
          total += each[i][doc];
        }
        score[doc] = total;
      });
      matches = Object.keys(score).map(Number).sort(function (a, b) { return score[b] - score[a] || a - b; });
      shown = 0;
      say(matches.length === 0 ? "data-none" : matches.length === 1 ? "data-one" : "data-many", matches.length);
      return showMore(run);
    }).catch(failed);
  }

  function showMore(run) {
    var next = matches.slice(shown, shown + PAGE);
    shown += next.length;
    var per = meta.docs_per_file;
    return Promise.all(next.map(function (doc) { return load("docs/" + Math.floor(doc / per) + ".json"); }))
      .then(function (blocks) {
        if (run !== latest) { return; }
        next.forEach(function (doc, i) {
          var entry = blocks[i][doc % per];
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = root + entry[0];
          link.textContent = entry[1];
          var excerpt = document.createElement("p");
          excerpt.textContent = entry[2];
          item.appendChild(link);
          if (entry[3]) {  // a measure's outcome and round, so the result says what was decided
            var note = document.createElement("p");
            note.className = "search-note";
            note.textContent = entry[3];
            item.appendChild(note);
          }
          item.appendChild(excerpt);
          list.appendChild(item);
        });
        more.hidden = shown >= matches.length;
      });
  }

  function failed() {
    status.textContent = box.getAttribute("data-failed");
    document.getElementById("search-fallback").hidden = false;
  }

  // The box replaces the links at once, so the page does not change under a keyboard or
  // screen-reader user while the index loads; if it cannot load, the links come back.
  form.hidden = false;
  document.getElementById("search-fallback").hidden = true;
  load("index.json").then(function (loaded) {
    meta = loaded;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input.value); }, 250);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
      search(input.value);
    });
    more.addEventListener("click", function () {
      var first = list.children.length;
      showMore(latest).then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) { link.focus(); }  // keyboard users continue where the new results begin
      }).catch(failed);
    });
    var query = new URLSearchParams(location.search).get("q");
    if (query && !input.value) { input.value = query; }
    if (input.value) { search(input.value); }  // typed, or linked, before the index was there
  }).catch(failed);
})();
