/* tf render: search across the minutes, from window.TF_SEARCH (assets/search-NN.js).
   Results are built with textContent only: no text from the minutes is ever parsed as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var index = window.TF_SEARCH || [];
  if (!form || !input) { return; }
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var folded = index.map(function (e) { return fold(e.title + " " + e.text); });
  function snippet(text, word) {
    var at = fold(text).indexOf(word);
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 180) + "…";
  }
  function run() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { status.textContent = index.length + " meetings to search."; return; }
    var n = 0;
    for (var i = index.length - 1; i >= 0; i--) {
      var ok = words.every(function (w) { return folded[i].indexOf(w) >= 0; });
      if (!ok) { continue; }
      n++;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = index[i].url;
      a.textContent = index[i].title;
      var p = document.createElement("p");
      p.textContent = snippet(index[i].text, words[0]);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    }
    status.textContent = n + (n === 1 ? " meeting matches." : " meetings match.");
  }
  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  run();
})();
