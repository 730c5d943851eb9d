/* Consultations: progressive enhancement only; every form works without this file.
 * - "Add a section" copies the empty section form of the formset (sections editor);
 * - the synthesis shows how many comments are ticked;
 * - buttons with data-confirm ask before submitting; data-print prints the page;
 * - the invitation's sectors and task groups show only when that rule is chosen. */
(function () {
  "use strict";
  var t = window.gettext || function (s) { return s; };

  function addForm(button) {
    var prefix = button.getAttribute("data-add-form");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var list = document.querySelector("[data-formset='" + prefix + "']");
    if (!total || !template || !list) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var field = list.lastElementChild && list.lastElementChild.querySelector("input[type=text], input:not([type]), textarea");
    if (field) { field.focus(); }
  }

  function countSelected() {
    document.querySelectorAll("[data-selected-count]").forEach(function (node) {
      var picker = node.closest(".comment-picker");
      if (!picker) { return; }
      var n = picker.querySelectorAll("input[name=comments]:checked").length;
      node.textContent = n === 1 ? t("1 comment ticked") : interpolate(t("%s comments ticked"), [n]);
    });
  }

  function interpolate(text, values) {
    if (window.interpolate) { return window.interpolate(text, values); }
    return text.replace("%s", values[0]);
  }

  function toggleAudience() {
    var chosen = document.querySelector("input[name=audience]:checked");
    if (!chosen) { return; }
    [["sectors", "sectors"], ["task_groups", "task_groups"]].forEach(function (pair) {
      var input = document.querySelector("[name=" + pair[0] + "]");
      var field = input && input.closest(".field");
      if (field) { field.hidden = chosen.value !== pair[1]; }
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-form]");
    if (add) { event.preventDefault(); addForm(add); return; }
    var confirmer = event.target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "comments") { countSelected(); }
    if (event.target.name === "audience") { toggleAudience(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    countSelected();
    toggleAudience();
  });
})();
