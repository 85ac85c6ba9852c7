// Counts the decision deadline down on the airport access page, once a second.
"use strict";
(function () {
  const items = document.querySelectorAll(".countdown[data-due]");
  function tick() {
    const now = Date.now();
    items.forEach((el) => {
      const left = Math.round((Date.parse(el.dataset.due) - now) / 1000);
      const sign = left < 0 ? "−" : "";
      const s = Math.abs(left);
      const text = `${sign}${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
      el.textContent = "⏱ " + text;
      el.dataset.overdue = left < 0 ? "true" : "false";
      el.classList.toggle("error", left < 0);
    });
  }
  if (items.length) { tick(); setInterval(tick, 1000); }
})();
