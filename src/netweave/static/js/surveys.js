/* Network survey pages; every page reads and works without this file.
 * - Results: one chart per measure over the years, from the "survey-trend" json_script
 *   block, into the elements marked data-survey-chart="<measure>".
 * - Rating form: the sector and name filters narrow the visible rows at once (the rows
 *   that are hidden keep their answers and are saved with the others). */
(function () {
  "use strict";

  function drawTrend() {
    var source = document.getElementById("survey-trend");
    if (!source || !window.Plotly) { return; }
    var figures = JSON.parse(source.textContent);
    document.querySelectorAll("[data-survey-chart]").forEach(function (node) {
      var figure = figures[node.getAttribute("data-survey-chart")];
      if (!figure) { return; }
      var layout = Object.assign({ margin: { t: 10, r: 10, b: 40, l: 40 }, autosize: true }, figure.layout || {});
      window.Plotly.newPlot(node, figure.data, layout, { displaylogo: false, responsive: true });
      node.classList.add("chart-drawn");
    });
  }

  function liveFilter() {
    var table = document.getElementById("rating-table");
    var filter = document.querySelector(".member-filter");
    if (!table || !filter) { return; }
    var text = filter.querySelector("input[name=q]");
    var sector = filter.querySelector("select[name=sector]");
    function apply() {
      var wanted = text ? text.value.trim().toLowerCase() : "";
      var code = sector ? sector.value : "";
      table.querySelectorAll("tbody tr[data-sector]").forEach(function (row) {
        var show = (!code || row.getAttribute("data-sector") === code) &&
          (!wanted || row.getAttribute("data-name").indexOf(wanted) !== -1);
        row.hidden = !show;
      });
    }
    if (text) { text.addEventListener("input", apply); }
    if (sector) { sector.addEventListener("change", apply); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawTrend();
    liveFilter();
  });
})();
