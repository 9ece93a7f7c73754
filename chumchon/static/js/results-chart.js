/* Small line charts of a person's results over time (person page). Each canvas names, in
   data-chart-source, the json_script element that holds {labels, series: [{label, data}]}. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  // Okabe–Ito colours: told apart with every common kind of colour blindness.
  var colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
  var canvases = document.querySelectorAll("canvas[data-chart-source]");
  Array.prototype.forEach.call(canvases, function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, i) {
          return { label: series.label, data: series.data, borderColor: colours[i % colours.length],
                   backgroundColor: colours[i % colours.length], spanGaps: true, tension: 0, pointRadius: 3 };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: data.series.length > 1, position: "bottom" } }
      }
    });
  });
})();
