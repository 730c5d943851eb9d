/* Shows a meeting's time on the viewer's own clock (the browser's time zone).
 * Without JavaScript the page shows the server's time zone instead. */
(function () {
  "use strict";
  function showViewerTimes() {
    if (!window.Intl || !Intl.DateTimeFormat) { return; }
    var lang = document.documentElement.lang || undefined;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var day = new Intl.DateTimeFormat(lang, { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" });
    var hour = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" });
    document.querySelectorAll("time.viewer-time").forEach(function (node) {
      var start = new Date(node.getAttribute("datetime"));
      var end = new Date(node.getAttribute("data-end"));
      if (isNaN(start) || isNaN(end)) { return; }
      node.textContent = day.format(start) + "–" + hour.format(end) + (zone ? " (" + zone + ")" : "");
    });
  }
  document.addEventListener("DOMContentLoaded", showViewerTimes);
})();
