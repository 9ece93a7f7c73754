/* The overview bar chart: one group of bars per village (or tambon), one colour per vulnerable
   group. The data is the table on the same page, embedded by json_script as #dashboard-data. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  var canvas = document.getElementById("dashboard-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // Okabe–Ito colours: told apart with every common kind of colour blindness.
  var colours = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00"];
  var box = canvas.parentNode;
  // Wide enough for the bars to be read; the box scrolls sideways on a phone.
  box.style.minWidth = Math.max(320, data.labels.length * 110) + "px";
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series, i) {
        return { label: series.label, data: series.data, backgroundColor: colours[i % colours.length],
                 maxBarThickness: 48 };
      })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
