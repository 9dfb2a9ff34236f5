// Progressive enhancements only: every page works without JavaScript.
(function () {
  "use strict";
  function enhanceFormsets(root) {
    root.querySelectorAll("[data-formset]").forEach(function (fieldset) {
      var prefix = fieldset.dataset.formset;
      var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
      var template = fieldset.querySelector("template");
      var button = fieldset.querySelector(".add-row");
      if (!total || !template || !button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        fieldset.querySelector(".rows").insertAdjacentHTML("beforeend", html);
        total.value = String(index + 1);
        var first = fieldset.querySelector(".rows > .row-form:last-child input, .rows > .row-form:last-child select");
        if (first) first.focus();
      });
    });
  }
  // A type-to-filter box above long multi-selects (targets, indicators, areas).
  function enhanceSelects(root) {
    root.querySelectorAll("select[multiple][data-filterable]").forEach(function (select) {
      var input = document.createElement("input");
      input.type = "search";
      input.className = "select-filter";
      input.placeholder = select.closest("form").dataset.filterPlaceholder || "Filter…";
      input.setAttribute("aria-label", input.placeholder);
      input.addEventListener("input", function () {
        var needle = input.value.toLowerCase();
        select.querySelectorAll("option").forEach(function (option) {
          option.hidden = needle && option.textContent.toLowerCase().indexOf(needle) === -1 && !option.selected;
        });
      });
      select.parentNode.insertBefore(input, select);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    enhanceFormsets(document);
    enhanceSelects(document);
  });
})();
