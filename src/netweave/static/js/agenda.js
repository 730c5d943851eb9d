/* Agenda pages: a button with data-print prints the page (without JS the browser's
 * own print command does the same; the button is hidden until this file runs). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
