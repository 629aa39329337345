// Selecting text in a discussion fills that submission's passage field (the field also works
// by pasting, without JavaScript).
(function () {
  "use strict";
  document.querySelectorAll("[data-passage-target]").forEach(function (block) {
    block.addEventListener("mouseup", function () {
      var selection = window.getSelection();
      var text = selection ? selection.toString().trim() : "";
      if (!text) {
        return;
      }
      var field = document.getElementById(block.getAttribute("data-passage-target"));
      if (field) {
        field.value = text;
      }
    });
  });
})();
