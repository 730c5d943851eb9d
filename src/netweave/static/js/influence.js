/* Indicator charts: values against targets over the years, with the baseline.
 * Each element with data-indicator-chart="<id>" is drawn from the json_script block of
 * that id: {name, unit, years, values, targets, baseline, baseline_year, labels}. The same
 * numbers are in the table beside the chart, so the page reads without this file. */
(function () {
  "use strict";
  function figure(data) {
    var traces = [
      {
        type: "bar", name: data.labels.values, x: data.years, y: data.values,
        marker: { color: "#0b5cad" }, hovertemplate: "%{x}: %{y}<extra>" + data.labels.values + "</extra>"
      }
    ];
    if (data.targets.some(function (v) { return v !== null; })) {
      traces.push({
        type: "scatter", mode: "lines+markers", name: data.labels.targets, x: data.years,
        y: data.targets, connectgaps: true, line: { color: "#c05600", dash: "dash" },
        marker: { symbol: "diamond", size: 8 }
      });
    }
    var shapes = [];
    if (data.baseline !== null) {
      traces.push({
        type: "scatter", mode: "markers", name: data.labels.baseline,
        x: [data.baseline_year], y: [data.baseline], marker: { color: "#5a6472", size: 10 }
      });
      shapes.push({
        type: "line", xref: "paper", x0: 0, x1: 1, y0: data.baseline, y1: data.baseline,
        line: { color: "#9aa4b1", width: 1, dash: "dot" }
      });
    }
    return {
      data: traces,
      layout: {
        margin: { t: 10, r: 10, b: 40, l: 50 }, autosize: true, shapes: shapes,
        legend: { orientation: "h", y: -0.2 },
        xaxis: { type: "category", title: { text: "" } },
        yaxis: { title: { text: data.unit || "" }, rangemode: "tozero" },
        font: { color: "#1d2430" }
      }
    };
  }
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-indicator-chart]").forEach(function (node) {
      var source = document.getElementById(node.getAttribute("data-indicator-chart"));
      if (!source || node.classList.contains("chart-drawn")) { return; }
      var fig = figure(JSON.parse(source.textContent));
      window.Plotly.newPlot(node, fig.data, fig.layout, { displaylogo: false, responsive: true });
      node.classList.add("chart-drawn");
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
