// The order form's planned lines (templates/orders/order_form.html): lines are added and
// removed in place and priced as the user types, from the chosen contract's rate card (JSON at
// data-prices-url), with the running total and what stays free under the contract's ceiling.
// A small script rather than htmx: no new dependency, nothing inline for the
// Content-Security-Policy, and no round trip per keystroke. Money is counted in whole fen
// (BigInt), rounded half up as the server does; the server prices every line again on save.
(function () {
  const box = document.getElementById("order-lines");
  if (!box) return;
  const form = box.closest("form");
  const rows = box.querySelector("tbody");
  const template = document.getElementById("line-template");
  const count = form.querySelector("[name=lines-TOTAL_FORMS]");
  const initial = form.querySelector("[name=lines-INITIAL_FORMS]");
  const most = Number(form.querySelector("[name=lines-MAX_NUM_FORMS]").value);
  const contract = form.querySelector("select[name=contract]");
  const start = form.querySelector("[name=service_start]");
  const add = document.getElementById("add-line");
  let prices = {}; // "role|level" → unit price in fen
  let free = null; // the contract's free amount in fen
  let asked = 0; // the latest request: an older answer arriving late is dropped

  const fen = (text) => {
    const [whole, fraction = ""] = text.split(".");
    return BigInt(whole + fraction.padEnd(2, "0"));
  };
  const yuan = (value) => {
    const sign = value < 0n ? "-" : "";
    const amount = value < 0n ? -value : value;
    const whole = (amount / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return `${sign}¥${whole}.${(amount % 100n).toString().padStart(2, "0")}`;
  };
  // A typed quantity in tenths (one decimal at most; 1,250.5 as the server reads it), or null.
  const tenths = (text) => {
    const match = text.trim().match(/^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/);
    const fraction = match ? (match[2] || "").replace(/0+$/, "") : "";
    if (!match || fraction.length > 1) return null;
    return BigInt(match[1].replace(/,/g, "") + (fraction || "0"));
  };

  function refresh() {
    let total = 0n;
    for (const row of rows.rows) {
      const price = prices[row.querySelector("select").value];
      const quantity = tenths(row.querySelector("input").value);
      const amount = price === undefined || quantity === null ? null : (quantity * price + 5n) / 10n;
      row.querySelector("[data-price]").textContent = price === undefined ? "—" : yuan(price);
      row.querySelector("[data-amount]").textContent = amount === null ? "—" : yuan(amount);
      if (amount !== null) total += amount;
    }
    document.getElementById("lines-total").textContent = yuan(total);
    document.getElementById("order-total").textContent = yuan(total);
    document.getElementById("contract-free").textContent = free === null ? "—" : yuan(free);
    const left = document.getElementById("left-free");
    left.textContent = free === null ? "—" : yuan(free - total);
    left.classList.toggle("error-text", free !== null && total > free);
    add.disabled = rows.rows.length >= most;
  }

  // The chosen contract's lines; a line chosen before that this contract lacks stays chosen,
  // marked, so nothing typed is lost and the server names it on save.
  function offer(select, lines) {
    const chosen = select.value;
    select.replaceChildren(new Option("—", ""));
    for (const line of lines) select.add(new Option(line.label, line.key));
    if (chosen && !lines.some((line) => line.key === chosen)) {
      select.add(new Option(`${chosen.replace("|", " ")}（${box.dataset.missing}）`, chosen));
    }
    select.value = chosen;
  }

  async function load() {
    const chosen = contract ? contract.value : box.dataset.contract;
    const ask = ++asked;
    let data = { lines: [], free: null };
    if (chosen) {
      const query = new URLSearchParams({ contract: chosen, start: start.value });
      const answer = await fetch(`${box.dataset.pricesUrl}?${query}`);
      if (!answer.ok || ask !== asked) return;
      data = await answer.json();
    }
    prices = Object.fromEntries(data.lines.map((line) => [line.key, fen(line.price)]));
    free = data.free === null ? null : fen(data.free);
    for (const select of rows.querySelectorAll("select")) offer(select, data.lines);
    offer(template.content.querySelector("select"), data.lines);
    document.getElementById("choose-contract")?.toggleAttribute("hidden", Boolean(chosen));
    refresh();
  }

  // Rows are numbered 0…n-1 in their names, as the server's formset reads them, and 1…n in
  // what a screen reader says of their fields ("第3行 岗位及级别").
  function renumber() {
    [...rows.rows].forEach((row, index) => {
      for (const field of row.querySelectorAll("[name], [id]")) {
        for (const attribute of ["name", "id"]) {
          const value = field.getAttribute(attribute);
          if (value) field.setAttribute(attribute, value.replace(/-(\d+|__prefix__)-/, `-${index}-`));
        }
        const label = field.getAttribute("aria-label");
        if (label) field.setAttribute("aria-label", label.replace(/\d+/, index + 1));
      }
    });
    count.value = rows.rows.length;
    initial.value = Math.min(Number(initial.value), rows.rows.length);
  }

  add.addEventListener("click", () => {
    rows.append(template.content.firstElementChild.cloneNode(true));
    renumber();
    refresh();
    rows.rows[rows.rows.length - 1].querySelector("select").focus();
  });
  rows.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove]");
    if (!remove) return;
    remove.closest("tr").remove();
    renumber();
    refresh();
  });
  rows.addEventListener("input", refresh);
  rows.addEventListener("change", refresh);
  contract?.addEventListener("change", load);
  start.addEventListener("change", load);
  load();
})();
