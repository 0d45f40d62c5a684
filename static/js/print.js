// «Распечатать весь список» opens the list with ?print=1 (every row on one page); the print
// dialog opens by itself once the page has loaded. Without JavaScript the browser's own
// «Печать» prints the same page.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  if (params.get("print") === "1") {
    window.addEventListener("load", function () { window.print(); });
  }
})();
