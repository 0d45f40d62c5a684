// «Выбрать всех» of a list with ticks. Without this script the box still works: the form sends
// the ids of every row shown and the server takes them all. With it, the rows show the ticks.
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var group = all.getAttribute("data-select-all");
    var rows = document.querySelectorAll('input[data-select-group="' + group + '"]');
    all.addEventListener("change", function () {
      rows.forEach(function (row) { row.checked = all.checked; });
    });
    rows.forEach(function (row) {
      row.addEventListener("change", function () {
        // Unticking one row means «these rows», not «all»: the server then takes the ticked ones.
        if (!row.checked) { all.checked = false; }
        else if (Array.prototype.every.call(rows, function (r) { return r.checked; })) {
          all.checked = true;
        }
      });
    });
  });
})();
