// What the pages ask of every page, without inline script (the Content-Security-Policy):
// forms with data-confirm ask first; selects with data-navigate reload the page on their value.
(function () {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  document.querySelectorAll("select[data-navigate]").forEach((select) => {
    select.addEventListener("change", () => {
      window.location = "?" + new URLSearchParams({ [select.name]: select.value });
    });
  });
})();
