// Shows the score as the form is filled in, by the rules of SPEC §5. The server computes the
// score that counts; this is only a preview of it.
(function () {
  const form = document.getElementById("scoring");
  const num = (value) => (value === "" || value === undefined || isNaN(Number(value)) ? 0 : Number(value));
  const round = (value) => Math.round((value + Number.EPSILON) * 100) / 100;

  function incidents(indicator) {
    return [...form.querySelectorAll(".incident-indicator")].filter((s) => s.value === indicator).length;
  }

  function score(row) {
    const d = row.dataset;
    const max = num(d.max), perUnit = num(d.perUnit), target = num(d.target);
    const field = (role) => { const el = row.querySelector(`[data-role="${role}"]`); return el ? num(el.value) : 0; };
    let points;
    if (d.kind === "manual" || (d.kind === "bonus" && d.target === "")) points = field("value");
    else if (d.kind === "bonus") points = field("actual") > target ? max : 0;
    else if (d.kind === "deduction") {
      const count = incidents(d.indicator);
      row.querySelector('[data-role="count-label"]').textContent = count;
      points = max - perUnit * count;
    } else if (d.kind === "shortfall") points = max - perUnit * Math.max(target - field("actual"), 0);
    else if (d.kind === "ratio") points = max * Math.min(field("actual") / target, 1);
    else points = field("actual") ? (max * field("count")) / field("actual") : 0;
    return round(Math.min(Math.max(points, 0), max));
  }

  function refresh() {
    let base = 0, bonus = 0;
    form.querySelectorAll("tr[data-kind]").forEach((row) => {
      const points = score(row);
      row.querySelector('[data-role="score"]').textContent = points.toFixed(2);
      if (row.dataset.bonus === "1") bonus += points; else base += points;
    });
    document.getElementById("base").textContent = base.toFixed(2);
    document.getElementById("bonus").textContent = bonus.toFixed(2);
    document.getElementById("total").textContent = (base + bonus).toFixed(2);
  }

  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
