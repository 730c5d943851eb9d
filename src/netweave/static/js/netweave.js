/* Progressive enhancement only: every page reads without this file.
 * Charts: an element with data-chart="<id of a json_script block>" is drawn with plotly,
 * which is loaded from the app's own static files when such an element exists. */
(function () {
  "use strict";
  /* A chart repeats a table of the page and is hidden from screen readers (aria-hidden):
   * nothing inside it may take the keyboard focus either. */
  function unfocusable(node) {
    node.querySelectorAll("a, button, input, select, textarea, [tabindex]").forEach(function (el) {
      el.setAttribute("tabindex", "-1");
    });
  }
  function drawCharts() {
    var nodes = document.querySelectorAll("[data-chart]");
    if (!nodes.length || !window.Plotly) { return; }
    nodes.forEach(function (node) {
      var source = document.getElementById(node.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var layout = Object.assign({ margin: { t: 20, r: 10, b: 40, l: 10 }, autosize: true }, figure.layout || {});
      window.Plotly.newPlot(node, figure.data, layout, { displaylogo: false, responsive: true })
        .then(function () { unfocusable(node); });
      node.classList.add("chart-drawn");
    });
  }
  document.addEventListener("DOMContentLoaded", drawCharts);
  document.addEventListener("htmx:afterSettle", drawCharts);
})();
