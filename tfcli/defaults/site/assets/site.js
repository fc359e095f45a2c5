/* tf render: tracker filters. Without this script the full table shows. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("tracker");
  if (!form || !table) { return; }
  var selects = form.querySelectorAll("select");
  var rows = table.tBodies[0].rows;
  var count = document.getElementById("f-count");
  function apply() {
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = true;
      for (var j = 0; j < selects.length; j++) {
        var want = selects[j].value;
        if (!want) { continue; }
        var have = (row.getAttribute("data-" + selects[j].getAttribute("data-key")) || "").split(" ");
        if (have.indexOf(want) < 0) { ok = false; break; }
      }
      row.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown + " of " + rows.length + " shown";
  }
  for (var k = 0; k < selects.length; k++) { selects[k].addEventListener("change", apply); }
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
