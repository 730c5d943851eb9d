/* Influence mapping pages; every page reads without this file (the tables carry the data).
 * Draws the influence–interest grid and the influence towers from their json_script
 * blocks into the elements marked data-influence-chart="<id of the block>"; a click on an
 * organisation of the grid opens its profile (data-profile-url, SLUG replaced). */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-influence-chart]").forEach(function (node) {
      var source = document.getElementById(node.getAttribute("data-influence-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var layout = Object.assign({ autosize: true }, figure.layout || {});
      window.Plotly.newPlot(node, figure.data, layout, { displaylogo: false, responsive: true });
      node.classList.add("chart-drawn");
      var profile = node.getAttribute("data-profile-url");
      if (profile && node.on) {
        node.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          if (point && point.customdata) {
            window.location.href = profile.replace("SLUG", encodeURIComponent(point.customdata));
          }
        });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
