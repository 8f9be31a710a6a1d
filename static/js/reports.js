// A report's chart: bars per row (or lines per series for scores over months), from the JSON
// the page carries beside the canvas (reports/chart.html).
(function () {
  const canvas = document.getElementById("report-chart");
  const source = document.getElementById("report-chart-data");
  if (!canvas || !source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const colors = ["#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#0369a1", "#4d7c0f"];
  const money = canvas.dataset.unit === "money";
  const lines = canvas.dataset.kind === "line";
  new Chart(canvas, {
    type: lines ? "line" : "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(([label, values], i) => ({
        label,
        data: values.map((v) => (v === null ? null : Number(v))),
        borderColor: colors[i % colors.length],
        backgroundColor: lines ? colors[i % colors.length] : colors[i % colors.length] + "cc",
        spanGaps: true,
        tension: 0.2,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom" } },
      scales: {
        y: {
          beginAtZero: !lines,
          ticks: money ? { callback: (v) => (v / 10000).toLocaleString() + " 万" } : {},
        },
      },
    },
  });
})();
