// What the pages ask of every page, without inline script (the Content-Security-Policy):
// forms with data-confirm ask first; selects with data-navigate reload the page on their value.
(function () {
  // A button's own data-confirm asks for it alone (the log's 提交审批 beside 保存草稿).
  document.querySelectorAll("form[data-confirm], form:has(button[data-confirm])").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const text = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
      if (text && !window.confirm(text)) event.preventDefault();
    });
  });
  document.querySelectorAll("select[data-navigate]").forEach((select) => {
    select.addEventListener("change", () => {
      window.location = "?" + new URLSearchParams({ [select.name]: select.value });
    });
  });
  // A table wider than its box scrolls sideways in it: the box takes the keyboard's focus, so
  // that the arrow keys scroll it too (WCAG 2.1.1), named by its card's heading, else the page's.
  const scrolling = () => {
    for (const box of document.querySelectorAll(".scroll, .table-scroll, .card.flush")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls === box.hasAttribute("tabindex")) continue;
      if (!scrolls) {
        box.removeAttribute("tabindex");
        continue;
      }
      box.tabIndex = 0;
      const heading = box.closest(".card, section")?.querySelector("h2") || document.querySelector("h1");
      if (heading && !box.hasAttribute("aria-label")) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading.textContent.trim());
      }
    }
  };
  scrolling();
  window.addEventListener("resize", scrolling);
  // Where the sections scroll sideways (a phone's strip, a narrow bar): show the current one.
  const section = document.querySelector(".nav a.active");
  if (section) section.scrollIntoView({ block: "nearest", inline: "nearest" });
  // A form sent back with errors opens on its first one: the field to correct, focused.
  const input = document.querySelector(".has-error :is(input, select, textarea)");
  const first = input || document.querySelector(".form-errors");
  if (first) {
    first.scrollIntoView({ block: "center" });
    if (input) input.focus({ preventScroll: true });
  }
})();
