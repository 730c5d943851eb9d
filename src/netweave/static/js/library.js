// The document form: the task-group choice shows only when "Task group" visibility is chosen.
(function () {
  "use strict";
  function setUp(form) {
    var visibility = form.querySelector("[name=visibility]");
    var group = form.querySelector("[name=task_group]");
    if (!visibility || !group) { return; }
    var field = group.closest(".field");
    function update() {
      var needed = visibility.value === "task_group";
      field.classList.toggle("is-hidden", !needed);
      group.required = needed;
    }
    visibility.addEventListener("change", update);
    update();
  }
  document.querySelectorAll("[data-library-form]").forEach(setUp);
})();
