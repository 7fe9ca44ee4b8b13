// Draws the mobilisation dashboard's bar charts with Chart.js from the page's data island.
// Every chart has a table right after it with the same figures, so nothing here is the only way
// to read them; without JavaScript the chart boxes stay hidden (see _coalition.scss).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

// GOV.UK blue for the first series, then dark purple and green: apart by colour and lightness.
const COLOURS = ["#1d70b8", "#4c2c92", "#00703c"];
const islands = new Map();

function readIsland(id) {
  if (!islands.has(id)) {
    const source = document.getElementById(id || "");
    let data = null;
    try {
      data = source ? JSON.parse(source.textContent) : null;
    } catch {
      data = null; // keep the table only
    }
    islands.set(id, data);
  }
  return islands.get(id);
}

const number = new Intl.NumberFormat(document.documentElement.lang || "en-GB", { maximumFractionDigits: 2 });

export function initCoalitionCharts(root = document) {
  for (const el of root.querySelectorAll("[data-module='mobilise-coalition-chart']")) {
    if (el.dataset.mobiliseChartInit) continue;
    const spec = readIsland(el.dataset.chart)?.[el.dataset.key];
    if (!spec || !Array.isArray(spec.labels) || spec.labels.length === 0) continue;
    el.dataset.mobiliseChartInit = "true";

    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${el.dataset.title || ""}. ${el.dataset.labelTable || ""}`.trim());
    el.appendChild(canvas);
    const horizontal = el.dataset.horizontal === "true";
    const reduceMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;

    el.mobiliseChart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map((series, n) => ({
          label: series.label,
          data: series.data,
          backgroundColor: COLOURS[n % COLOURS.length],
          borderWidth: 0,
          maxBarThickness: 48,
        })),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        scales: {
          [horizontal ? "x" : "y"]: {
            beginAtZero: true,
            // Counts of things have whole-number ticks; pounds and hours may not.
            ticks: { precision: spec.integer ? 0 : undefined, callback: (v) => number.format(v) },
          },
        },
        plugins: {
          legend: { display: spec.series.length > 1 },
          tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${number.format(ctx.parsed[horizontal ? "x" : "y"])}` } },
        },
      },
    });
  }
}
