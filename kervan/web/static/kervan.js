// Kervan: the few behaviours htmx does not cover. No inline scripts (CSP), nothing required:
// every page works without JavaScript.
(function () {
  "use strict";

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  document.addEventListener("paste", function (event) {
    // A passport's MRZ pasted into the one-line name field would lose its line breaks: it goes
    // to the MRZ field instead, and searches. (The server also reads an MRZ run together.)
    var target = event.target;
    var mrzId = target.getAttribute && target.getAttribute("data-mrz-paste");
    var text = event.clipboardData && event.clipboardData.getData("text");
    if (!mrzId || !text || text.indexOf("<<") < 0) { return; }
    var mrz = document.getElementById(mrzId);
    if (!mrz) { return; }
    event.preventDefault();
    mrz.value = text.trim();
    target.value = "";
    var details = mrz.closest("details");
    if (details) { details.open = true; }
    submit(mrz.form);
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

  function setUpMenu() {
    // On a phone the menu folds behind one button; without JavaScript it simply stays open.
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("menu");
    if (!toggle || !menu) { return; }
    var narrow = window.matchMedia("(max-width: 40rem)");
    function fold(closed) {
      menu.classList.toggle("folded", closed);
      toggle.setAttribute("aria-expanded", closed ? "false" : "true");
    }
    toggle.hidden = false;
    fold(narrow.matches);
    toggle.addEventListener("click", function () { fold(!menu.classList.contains("folded")); });
    narrow.addEventListener("change", function (e) { fold(e.matches); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    // After a refused form, take the officer to the first field to correct.
    var invalid = document.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); }
  });
})();
