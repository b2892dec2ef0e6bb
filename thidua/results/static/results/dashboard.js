/* Draws the dashboard charts from the JSON in #dashboard-data (no inline script: CSP). */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var data = JSON.parse(source.textContent);
  var text = data.text || {};
  var COLORS = ["#0b4a8b", "#c8102e", "#1f7a3a", "#a15c00", "#5b2b8a", "#00838f"];
  var BAR_HEIGHT = 22;

  Chart.defaults.locale = "vi-VN";
  Chart.defaults.font.family = '"Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Arial, sans-serif';
  Chart.defaults.color = "#344055";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  /* A dashed vertical line at the deadline's label, with its name. */
  var deadlineLine = {
    id: "deadlineLine",
    afterDatasetsDraw: function (chart, args, options) {
      if (options.index === undefined || options.index === null) {
        return;
      }
      var x = chart.scales.x.getPixelForValue(options.index);
      var area = chart.chartArea;
      if (x < area.left || x > area.right) {
        return;
      }
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#c8102e";
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#c8102e";
      ctx.textAlign = x > area.right - 80 ? "right" : "left";
      ctx.fillText(options.label || "", x + (ctx.textAlign === "right" ? -6 : 6), area.top + 12);
      ctx.restore();
    },
  };

  function grow(canvas, rows) {
    /* Horizontal bar charts get taller with more bars. */
    canvas.parentNode.style.height = Math.max(160, rows * BAR_HEIGHT + 70) + "px";
  }

  function number(value) {
    return value === null || value === undefined ? "—" : value.toLocaleString("vi-VN");
  }

  var builders = {
    ranking: function (canvas, index) {
      var item = data.rankings[index];
      grow(canvas, item.labels.length);
      return {
        type: "bar",
        data: {
          labels: item.labels.map(function (label, i) { return item.ranks[i] + ". " + label; }),
          datasets: [{ label: text.total, data: item.values, backgroundColor: COLORS[0] }],
        },
        options: {
          indexAxis: "y",
          plugins: { legend: { display: false } },
          scales: { x: { min: 0, max: item.max } },
        },
      };
    },
    criteria: function (canvas, index) {
      var item = data.criteria[index];
      grow(canvas, item.labels.length);
      return {
        type: "bar",
        data: {
          labels: item.labels,
          datasets: [
            { label: text.share, data: item.values, backgroundColor: COLORS[1] },
            { label: text.full, data: item.full, backgroundColor: "#9fb7d6" },
          ],
        },
        options: {
          indexAxis: "y",
          scales: { x: { min: 0, max: 100 } },
          plugins: {
            tooltip: {
              callbacks: {
                title: function (items) { return items[0].label + " — " + item.titles[items[0].dataIndex].slice(0, 90); },
                label: function (ctx) { return ctx.dataset.label + ": " + number(ctx.raw) + "%"; },
              },
            },
          },
        },
      };
    },
    progress: function () {
      var item = data.progress;
      return {
        type: "line",
        data: {
          labels: item.labels,
          datasets: [{
            label: text.submitted,
            data: item.values,
            borderColor: COLORS[0],
            backgroundColor: "rgba(11, 74, 139, 0.12)",
            fill: true,
            stepped: true,
            pointRadius: 0,
          }],
        },
        options: {
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxTicksLimit: 16 } } },
          plugins: { deadlineLine: { index: item.deadline_index, label: text.deadline + " " + item.deadline } },
        },
        plugins: [deadlineLine],
      };
    },
    distribution: function () {
      var item = data.distribution;
      return {
        type: "bar",
        data: {
          labels: item.labels,
          datasets: item.datasets.map(function (set, i) {
            return { label: set.level, data: set.values, backgroundColor: COLORS[i % COLORS.length] };
          }),
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: text.units } } } },
      };
    },
    years: function () {
      var item = data.years;
      return {
        type: "bar",
        data: {
          labels: item.labels,
          datasets: item.datasets.map(function (set, i) {
            return { label: set.level, data: set.values, backgroundColor: COLORS[i % COLORS.length] };
          }),
        },
        options: { scales: { y: { min: 0, max: 100 } } },
      };
    },
    units: function (canvas) {
      var item = data.years.units;
      grow(canvas, item.labels.length * 1.6);
      return {
        type: "bar",
        data: {
          labels: item.labels,
          datasets: [
            { label: data.years.previous, data: item.previous, backgroundColor: "#9fb7d6" },
            { label: data.years.current, data: item.current, backgroundColor: COLORS[0] },
          ],
        },
        options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } } },
      };
    },
  };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var build = builders[canvas.dataset.chart];
    if (!build) {
      return;
    }
    new Chart(canvas, build(canvas, Number(canvas.dataset.index || 0)));
  });
})();
