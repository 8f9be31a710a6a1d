// The contract page's chart: settled month by month, the projection at the recent pace, the ceiling.
(function () {
  const canvas = document.getElementById("ceiling-chart");
  if (!canvas || !window.Chart) return;
  fetch(canvas.dataset.url, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
    const ceiling = data.ceilings.map(Number);
    const money = (v) => v === null ? null : Number(v);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.months,
        datasets: [
          { label: canvas.dataset.settled, data: data.settled.map(money), borderColor: "#1d4ed8",
            backgroundColor: "rgba(29,78,216,.12)", fill: true, tension: .2 },
          { label: canvas.dataset.projected, data: data.projected.map(money), borderColor: "#b45309",
            borderDash: [6, 4], pointRadius: 0 },
          { label: canvas.dataset.ceiling, data: ceiling, borderColor: "#b91c1c", pointRadius: 0 },
        ],
      },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" } },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => (v / 10000).toLocaleString() + " 万" } } },
      },
    });
    const note = document.getElementById("ceiling-note");
    // No settled month yet: no pace, nothing to say.
    if (!note || Number(data.pace) <= 0) return;
    note.textContent = data.runs_out
      ? note.dataset.template.replace("MONTH", data.runs_out)
      : note.dataset.never;
  });
})();
