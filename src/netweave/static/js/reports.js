// The report page: a click on a figure opens the records behind it in the annex.
(function () {
  "use strict";

  function openRecords(hash) {
    if (!hash || hash.indexOf("#records-") !== 0) {
      return;
    }
    var entry = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!entry) {
      return;
    }
    var details = entry.querySelector("details");
    if (details) {
      details.open = true;
    }
    entry.classList.add("annex-entry-shown");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.figure-link");
    if (link) {
      openRecords(link.getAttribute("href"));
    }
  });
  window.addEventListener("hashchange", function () {
    openRecords(window.location.hash);
  });
  openRecords(window.location.hash);
})();
