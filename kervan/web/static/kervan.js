// Kervan: the few behaviours htmx does not cover. No inline scripts (CSP), nothing required:
// every page works without JavaScript.
(function () {
  "use strict";

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  document.addEventListener("change", function (event) {
    // The language menu applies the choice at once; its button stays for keyboard users.
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) { submit(target.form); }
  });

  document.addEventListener("keydown", function (event) {
    // The search box is a textarea so that a pasted MRZ keeps its lines; Enter still searches.
    var target = event.target;
    if (event.key === "Enter" && !event.shiftKey && target.matches &&
        target.matches("textarea[data-enter-submits]")) {
      event.preventDefault();
      submit(target.form);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[data-select-on-focus]")) { target.select(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // After a refused form, take the officer to the first field to correct.
    var invalid = document.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); }
  });
})();
