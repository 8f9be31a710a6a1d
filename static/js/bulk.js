// The bulk pages: a select-all box, the count (and money) of what is chosen, and the
// confirmation portal.js asks saying exactly that. Money is summed in cents, never floats.
(function () {
  const form = document.querySelector("form.bulk");
  if (!form) return;
  const boxes = Array.from(form.querySelectorAll("input[name=ids]"));
  const all = form.querySelector("input.select-all");
  const summary = form.querySelector(".bulk-summary");
  const button = form.querySelector("button");
  const cents = (text) => {
    const [whole, part = ""] = text.replace("-", "").split(".");
    const value = Number(whole) * 100 + Number((part + "00").slice(0, 2));
    return text.startsWith("-") ? -value : value;
  };
  // As the pages print money: ¥1,234.50, −¥12.30 as -¥12.30.
  const yuan = (value) => (value < 0 ? "-¥" : "¥") + (Math.abs(value) / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const fill = (template, count, total) => template.replace("COUNT", count).replace("TOTAL", yuan(total));
  function update() {
    const chosen = boxes.filter((box) => box.checked);
    const total = chosen.reduce((sum, box) => sum + (box.dataset.amount ? cents(box.dataset.amount) : 0), 0);
    if (summary) summary.textContent = fill(summary.dataset.template, chosen.length, total);
    form.dataset.confirm = fill(form.dataset.confirmTemplate, chosen.length, total);
    if (button) button.disabled = chosen.length === 0;
    if (all) {
      all.checked = chosen.length === boxes.length && boxes.length > 0;
      all.indeterminate = chosen.length > 0 && chosen.length < boxes.length;
    }
  }
  if (all) all.addEventListener("change", () => { boxes.forEach((box) => { box.checked = all.checked; }); update(); });
  boxes.forEach((box) => box.addEventListener("change", update));
  update();
})();
