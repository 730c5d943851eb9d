/* The interactive network map (progressive enhancement: the table below the map and the
 * filter form work without this file).
 *
 * Reads the map's data from the json_script block named by #network-map[data-map] and draws
 * it with plotly: edges as lines, members as circles coloured by sector or community and
 * sized by a metric. Hovering shows a member's figures in #map-details, clicking opens its
 * profile. The colour and size choices redraw at once; the year slider asks the page's JSON
 * endpoint for that year's analysis (polling every 2 s while it is computed) and redraws the
 * map and the table. Pairs on which the latest network survey and the records disagree are
 * drawn as dashed lines, listed in #map-survey. */
(function () {
  "use strict";

  var METRICS = ["degree", "weighted_degree", "betweenness", "eigenvector", "events", "engagement"];
  var state = null;
  var DISAGREEMENT_STYLES = {
    recorded_not_perceived: { colour: "#d55e00", dash: "dash" },
    perceived_not_recorded: { colour: "#1a1a1a", dash: "dot" }
  };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function format(value, digits) {
    if (value === null || value === undefined || isNaN(value)) { return "—"; }
    return Number(value).toLocaleString(document.documentElement.lang || undefined, {
      minimumFractionDigits: digits, maximumFractionDigits: digits
    });
  }

  function isRtl() { return document.documentElement.dir === "rtl"; }

  function groupOf(node, payload, colour) {
    var labels = state.labels;
    if (colour === "community") {
      if (node.community === null || node.community === undefined) {
        return { key: "none", name: labels.no_community, colour: payload.no_sector_colour };
      }
      return {
        key: "c" + node.community,
        name: labels.community_n.replace("%(number)s", node.community + 1),
        colour: payload.palette[node.community % payload.palette.length]
      };
    }
    var sector = node.sector && payload.sectors[node.sector];
    if (!sector) {
      return { key: "none", name: labels.no_sector, colour: payload.no_sector_colour };
    }
    return { key: "s" + node.sector, name: sector.name, colour: sector.colour };
  }

  function radii(nodes, metric) {
    var biggest = 0;
    // Crowded maps get smaller markers, so that members stay apart.
    var crowd = Math.min(1, Math.sqrt(150 / Math.max(nodes.length, 1)));
    var low = 4 + 4 * crowd, high = 10 + 24 * crowd;
    nodes.forEach(function (node) { biggest = Math.max(biggest, node[metric] || 0); });
    return nodes.map(function (node) {
      var share = biggest > 0 ? Math.sqrt((node[metric] || 0) / biggest) : 0;
      return low + (high - low) * share;  // marker diameter in pixels
    });
  }

  function hoverText(node, payload) {
    var labels = state.labels;
    var lines = ["<b>" + escapeHtml(node.label) + "</b>"];
    lines.push(escapeHtml(labels.sector) + ": " + escapeHtml(node.sector_name || labels.no_sector));
    if (node.community !== null && node.community !== undefined) {
      lines.push(escapeHtml(labels.community) + ": " + (node.community + 1));
    }
    METRICS.forEach(function (metric) {
      lines.push(escapeHtml(labels[metric]) + ": " + format(node[metric], payload.digits[metric]));
    });
    return lines.join("<br>");
  }

  function traces(payload) {
    var nodes = payload.nodes;
    var data = [];
    // Edges in three weight classes, as one line trace each (plotly has one width per trace).
    var heaviest = 0;
    payload.edges.forEach(function (edge) { heaviest = Math.max(heaviest, edge[2]); });
    [[0, 1 / 3, 0.8], [1 / 3, 2 / 3, 1.8], [2 / 3, 1.01, 3.2]].forEach(function (band) {
      var xs = [], ys = [];
      payload.edges.forEach(function (edge) {
        var share = heaviest > 0 ? edge[2] / heaviest : 0;
        if (share < band[0] || share >= band[1]) { return; }
        var a = nodes[edge[0]], b = nodes[edge[1]];
        xs.push(a.x, b.x, null);
        ys.push(a.y, b.y, null);
      });
      if (!xs.length) { return; }
      data.push({
        type: "scatter", mode: "lines", x: xs, y: ys, hoverinfo: "skip", showlegend: false,
        line: { width: band[2], color: "rgba(120,130,142,0.45)" }, name: state.labels.ties
      });
    });
    var sizes = radii(nodes, state.size);
    var groups = {}, order = [];
    nodes.forEach(function (node, index) {
      var group = groupOf(node, payload, state.colour);
      if (!groups[group.key]) {
        groups[group.key] = { group: group, x: [], y: [], size: [], text: [], customdata: [] };
        order.push(group.key);
      }
      var g = groups[group.key];
      g.x.push(node.x);
      g.y.push(node.y);
      g.size.push(sizes[index]);
      g.text.push(hoverText(node, payload));
      g.customdata.push(index);
    });
    order.sort(function (a, b) {
      if (a === "none") { return 1; }
      if (b === "none") { return -1; }
      var ga = groups[a].group, gb = groups[b].group;
      if (state.colour === "community") { return parseInt(a.slice(1), 10) - parseInt(b.slice(1), 10); }
      return ga.name.localeCompare(gb.name);
    });
    order.forEach(function (key) {
      var g = groups[key];
      data.push({
        type: "scatter", mode: "markers", name: g.group.name, x: g.x, y: g.y,
        text: g.text, customdata: g.customdata, hoverinfo: "text",
        marker: { size: g.size, color: g.group.colour, line: { width: 1, color: "#ffffff" }, opacity: 0.92 }
      });
    });
    return data.concat(disagreementTraces(payload));
  }

  /* Pairs on which the latest survey round and the records disagree, drawn over the ties
   * as dashed lines (one trace per kind, each with its legend entry). */
  function disagreementTraces(payload) {
    var nodes = payload.nodes, data = [];
    Object.keys(DISAGREEMENT_STYLES).forEach(function (kind) {
      var xs = [], ys = [];
      (payload.disagreements || []).forEach(function (pair) {
        if (pair[2] !== kind) { return; }
        var a = nodes[pair[0]], b = nodes[pair[1]];
        if (!a || !b) { return; }
        xs.push(a.x, b.x, null);
        ys.push(a.y, b.y, null);
      });
      if (!xs.length) { return; }
      var style = DISAGREEMENT_STYLES[kind];
      data.push({
        type: "scatter", mode: "lines", x: xs, y: ys, hoverinfo: "skip",
        name: state.labels[kind] || kind, legendgroup: kind,
        line: { width: 2, color: style.colour, dash: style.dash }
      });
    });
    return data;
  }

  function rebuildDisagreements(payload) {
    var section = document.getElementById("map-survey");
    if (!section) { return; }
    section.hidden = !payload.survey;
    var body = section.querySelector("tbody");
    var none = document.getElementById("map-survey-none");
    var pairs = payload.disagreements || [];
    if (none) { none.hidden = pairs.length > 0; }
    if (!body) { return; }
    var table = body.parentNode;
    table.hidden = !pairs.length;
    function member(node) {
      var label = escapeHtml(node.label);
      return node.url ? "<a href=\"" + escapeHtml(node.url) + "\">" + label + "</a>" : label;
    }
    body.innerHTML = pairs.map(function (pair) {
      var a = payload.nodes[pair[0]], b = payload.nodes[pair[1]];
      return "<tr data-kind=\"" + escapeHtml(pair[2]) + "\"><th scope=\"row\">" + member(a) +
        " ↔ " + member(b) + "</th><td>" + escapeHtml(state.labels[pair[2]] || pair[2]) + "</td></tr>";
    }).join("");
  }

  function layout() {
    var axis = { visible: false, zeroline: false, showgrid: false };
    return {
      margin: { t: 10, r: 10, b: 10, l: 10 },
      height: 560,
      hovermode: "closest",
      dragmode: "pan",
      showlegend: true,
      legend: { orientation: "h", x: isRtl() ? 1 : 0, xanchor: isRtl() ? "right" : "left", y: -0.02, yanchor: "top" },
      xaxis: axis,
      yaxis: Object.assign({ scaleanchor: "x" }, axis),
      paper_bgcolor: "#ffffff",
      plot_bgcolor: "#ffffff"
    };
  }

  function showDetails(node) {
    var body = document.getElementById("map-details-body");
    if (!body || !node) { return; }
    var labels = state.labels, payload = state.payload;
    var html = "<p class=\"detail-name\"><strong>" + escapeHtml(node.label) + "</strong></p><dl class=\"facts\">";
    html += "<dt>" + escapeHtml(labels.sector) + "</dt><dd>" + escapeHtml(node.sector_name || labels.no_sector) + "</dd>";
    if (node.community !== null && node.community !== undefined) {
      html += "<dt>" + escapeHtml(labels.community) + "</dt><dd>" + (node.community + 1) + "</dd>";
    }
    METRICS.forEach(function (metric) {
      html += "<dt>" + escapeHtml(labels[metric]) + "</dt><dd class=\"num\">" + format(node[metric], payload.digits[metric]) + "</dd>";
    });
    html += "</dl>";
    if (node.url) {
      html += "<p><a href=\"" + escapeHtml(node.url) + "\">" + escapeHtml(labels.open_profile) + "</a></p>";
    }
    body.innerHTML = html;
  }

  function nodeOfEvent(event) {
    if (!event || !event.points || !event.points.length) { return null; }
    var point = event.points[0];
    if (point.customdata === undefined || point.customdata === null) { return null; }
    return state.payload.nodes[point.customdata] || null;
  }

  function draw() {
    var div = state.div;
    var fresh = !div.classList.contains("chart-drawn");
    window.Plotly.react(div, traces(state.payload), layout(), {
      displaylogo: false, responsive: true, scrollZoom: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"]
    }).then(function () {
      /* The map repeats the table below it and is hidden from screen readers (aria-hidden):
       * nothing inside it may take the keyboard focus either. */
      div.querySelectorAll("a, button, input, select, textarea, [tabindex]").forEach(function (el) {
        el.setAttribute("tabindex", "-1");
      });
    });
    div.classList.add("chart-drawn");
    div.setAttribute("data-nodes", String(state.payload.nodes.length));
    div.setAttribute("data-colour", state.colour);
    div.setAttribute("data-size", state.size);
    if (fresh) {
      div.on("plotly_hover", function (event) { showDetails(nodeOfEvent(event)); });
      div.on("plotly_click", function (event) {
        var node = nodeOfEvent(event);
        showDetails(node);
        if (node && node.url) { window.location.assign(node.url); }
      });
    }
  }

  // The table ------------------------------------------------------------------------

  function cellValue(row, index) {
    var cell = row.children[index];
    return cell ? cell.getAttribute("data-value") || "" : "";
  }

  function number(text) {
    var value = parseFloat(text);
    return isNaN(value) ? -Infinity : value;
  }

  function columnIndex(key) {
    var headers = document.querySelectorAll("#map-table thead th");
    for (var i = 0; i < headers.length; i++) {
      if (headers[i].getAttribute("data-sort") === key) { return i; }
    }
    return 0;
  }

  function sortTable(key, descending) {
    var table = document.getElementById("map-table");
    if (!table) { return; }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-id]"));
    var numeric = !(key === "label" || key === "sector");
    var index = columnIndex(key);
    rows.sort(function (a, b) {
      var va = cellValue(a, index), vb = cellValue(b, index), result;
      if (numeric) {
        var na = number(va), nb = number(vb);
        result = na === nb ? 0 : (na < nb ? -1 : 1);
      } else {
        result = String(va).localeCompare(String(vb));
      }
      return descending ? -result : result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th").forEach(function (th) {
      var current = th.getAttribute("data-sort") === key;
      th.setAttribute("aria-sort", current ? (descending ? "descending" : "ascending") : "none");
    });
  }

  function onHeaderClick(event) {
    var link = event.target.closest("#map-table thead th a");
    if (!link) { return; }
    event.preventDefault();
    var th = link.parentNode;
    var key = th.getAttribute("data-sort");
    var descending;
    if (th.getAttribute("aria-sort") === "descending") { descending = false; }
    else if (th.getAttribute("aria-sort") === "ascending") { descending = true; }
    else { descending = !(key === "label" || key === "sector"); }
    sortTable(key, descending);
  }

  function rebuildTable(payload) {
    var table = document.getElementById("map-table");
    if (!table) { return; }
    var body = table.tBodies[0];
    var labels = state.labels;
    var html = "";
    payload.nodes.forEach(function (node) {
      var name = node.url ? "<a href=\"" + escapeHtml(node.url) + "\">" + escapeHtml(node.label) + "</a>" : escapeHtml(node.label);
      var community = node.community === null || node.community === undefined ? "" : String(node.community + 1);
      html += "<tr data-id=\"" + escapeHtml(node.id) + "\"><th scope=\"row\" data-value=\"" + escapeHtml(node.label) + "\">" + name + "</th>";
      html += "<td data-value=\"" + escapeHtml(node.sector_name) + "\">" + escapeHtml(node.sector_name || "—") + "</td>";
      html += "<td class=\"num\" data-value=\"" + community + "\">" + (community || "—") + "</td>";
      METRICS.forEach(function (metric) {
        html += "<td class=\"num\" data-value=\"" + node[metric] + "\">" + format(node[metric], payload.digits[metric]) + "</td>";
      });
      html += "</tr>";
    });
    if (!payload.nodes.length) {
      html = "<tr><td colspan=\"9\">" + escapeHtml(labels.empty) + "</td></tr>";
    }
    body.innerHTML = html;
    sortTable(state.size, true);
  }

  // Choices, links and the address ---------------------------------------------------

  function currentQuery() {
    var params = new URLSearchParams(state.query);
    params.set("colour", state.colour);
    params.set("size", state.size);
    if (state.year) { params.set("year", state.year); } else { params.delete("year"); }
    if (state.year) { params.delete("since"); params.delete("until"); }
    return params;
  }

  function syncLinks() {
    var params = currentQuery();
    ["map-svg-link", "map-png-link"].forEach(function (id) {
      var link = document.getElementById(id);
      if (!link) { return; }
      var url = new URL(link.getAttribute("href"), window.location.href);
      url.search = params.toString();
      link.setAttribute("href", url.pathname + url.search);
    });
    var address = new URL(window.location.href);
    address.search = params.toString();
    window.history.replaceState(null, "", address.pathname + address.search);
    var yearSelect = document.getElementById("filter-year");
    if (yearSelect) { yearSelect.value = state.year || ""; }
    if (state.year) {
      ["filter-since", "filter-until"].forEach(function (id) {
        var input = document.getElementById(id);
        if (input) { input.value = ""; }
      });
    }
  }

  function setStatus(text) {
    var status = document.getElementById("map-status");
    if (status) { status.textContent = text || ""; }
  }

  function loadYear(year) {
    state.year = year;
    var token = ++state.request;
    var params = currentQuery();
    var url = state.jsonUrl + "?" + params.toString();
    syncLinks();
    function ask() {
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (token !== state.request) { return; }
          if (body.status === "ready" && body.map) {
            setStatus("");
            state.payload = Object.assign(body.map, { labels: state.labels });
            state.query = body.query || state.query;
            draw();
            rebuildTable(state.payload);
            rebuildDisagreements(state.payload);
            var summary = document.getElementById("map-summary");
            if (summary) { summary.setAttribute("data-year", year || ""); }
          } else if (body.status === "queued" || body.status === "running") {
            setStatus(state.labels.computing.replace("%(year)s", year || state.labels.all_years) +
              " " + Math.round(100 * (body.progress || 0)) + "%");
            window.setTimeout(ask, 2000);
          } else {
            setStatus((body.errors && body.errors.join(" ")) || body.error || state.labels.failed);
          }
        })
        .catch(function () { if (token === state.request) { setStatus(state.labels.failed); } });
    }
    ask();
  }

  function setUpSlider() {
    var box = document.getElementById("map-slider");
    var input = document.getElementById("map-year");
    var output = document.getElementById("map-year-value");
    if (!box || !input) { return; }
    var years = (box.getAttribute("data-years") || "").split(",").filter(Boolean);
    var current = box.getAttribute("data-year") || "";
    input.max = String(years.length);
    input.value = String(current ? years.indexOf(current) + 1 : 0);
    box.hidden = false;
    function yearAt(position) { return position > 0 ? years[position - 1] : ""; }
    input.addEventListener("input", function () {
      var year = yearAt(parseInt(input.value, 10));
      output.textContent = year || state.labels.all_years;
      input.setAttribute("aria-valuetext", output.textContent);
    });
    input.addEventListener("change", function () {
      loadYear(yearAt(parseInt(input.value, 10)));
    });
  }

  function setUpChoices() {
    document.querySelectorAll("#colour-mode input[name='colour']").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked || !state) { return; }
        state.colour = radio.value;
        draw();
        syncLinks();
      });
    });
    var size = document.getElementById("filter-size");
    if (size) {
      size.addEventListener("change", function () {
        if (!state) { return; }
        state.size = size.value;
        draw();
        sortTable(state.size, true);
        syncLinks();
      });
    }
  }

  function init() {
    var div = document.getElementById("network-map");
    if (!div || !window.Plotly || div.classList.contains("chart-drawn")) { return; }
    var source = document.getElementById(div.getAttribute("data-map"));
    if (!source) { return; }
    var payload = JSON.parse(source.textContent);
    var box = document.getElementById("map-slider");
    var colourInput = document.querySelector("#colour-mode input[name='colour']:checked");
    var sizeInput = document.getElementById("filter-size");
    state = {
      div: div,
      payload: payload,
      labels: payload.labels,
      colour: colourInput ? colourInput.value : payload.colour,
      size: sizeInput ? sizeInput.value : payload.size,
      year: box ? box.getAttribute("data-year") || "" : "",
      query: div.getAttribute("data-query") || "",
      jsonUrl: div.getAttribute("data-json-url"),
      request: 0
    };
    draw();
    setUpSlider();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpChoices();
    document.addEventListener("click", onHeaderClick);
    init();
  });
  document.addEventListener("htmx:afterSettle", init);
})();
