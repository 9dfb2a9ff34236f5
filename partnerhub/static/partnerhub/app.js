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
  // Organisation fields: the registered organisations matching what is typed fill the shared datalist.
  function enhanceOrganisationInputs(root) {
    root.addEventListener("input", function (event) {
      var input = event.target.closest && event.target.closest("input[data-organisation-lookup]");
      if (!input) return;
      var list = document.getElementById(input.getAttribute("list"));
      clearTimeout(input.lookupTimer);
      input.lookupTimer = setTimeout(function () {
        var text = input.value.trim();
        if (!list || text.length < 2 || /#\d+$/.test(text)) return;
        fetch(input.dataset.organisationLookup + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) { if (input.value.trim() === text) list.innerHTML = html; });
      }, 200);
    });
  }
  // Suggested goals and targets (assist panel): nothing changes in the form until a click accepts one.
  function acceptSuggestion(button) {
    var form = button.closest("form");
    var item = button.closest("[data-suggestion]");
    var goal = button.dataset.acceptGoal;
    var target = button.dataset.acceptTarget;
    if (target) {
      var option = form.querySelector('select[name="targets"] option[value="' + target + '"]');
      if (option) option.selected = true;
      goal = target.split(".")[0];
    }
    var box = form.querySelector('input[name="goals"][value="' + goal + '"]');
    if (box) box.checked = true;
    item.classList.add("is-accepted");
    item.querySelector(".assist-actions").textContent = button.dataset.acceptedLabel || "✓";
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-accept-goal], [data-accept-target]");
    if (button) { acceptSuggestion(button); return; }
    var reject = event.target.closest("[data-reject]");
    if (reject) reject.closest("[data-suggestion]").remove();
  });
  // A region that scrolls sideways (a wide table on a phone, the Gantt chart) must be reachable with the
  // keyboard to be scrolled (WCAG 2.1.1): it is in the tab order while its content overflows it.
  function markScrollables() {
    document.querySelectorAll(".table, .table-scroll, .gantt-wrap").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) region.setAttribute("tabindex", "0");
      else region.removeAttribute("tabindex");
    });
  }
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(markScrollables, 150);
  });
  document.addEventListener("htmx:afterSettle", markScrollables);
  document.addEventListener("DOMContentLoaded", function () {
    enhanceFormsets(document);
    enhanceSelects(document);
    enhanceOrganisationInputs(document);
    markScrollables();
  });
})();
