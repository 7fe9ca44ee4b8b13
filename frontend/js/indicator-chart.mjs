// Draws an indicator's chart with Chart.js from the page's JSON data island: the published values,
// the planned trajectory and the projected trend with its range. The table beside the chart holds
// the same figures, so nothing here is the only way to read them; without JavaScript the chart's
// box stays hidden and the table is the page.
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Tooltip, Legend);

// GOV.UK colours: blue for what happened, black dashes for the plan, purple for the projection.
const COLOURS = {
  actual: "#1d70b8",
  trajectory: "#0b0c0c",
  projection: "#4c2c92",
  band: "rgba(76, 44, 146, 0.18)",
};

function readIsland(id) {
  const source = document.getElementById(id || "");
  if (!source) return null;
  try {
    return JSON.parse(source.textContent);
  } catch {
    return null;
  }
}

function formatter(decimals) {
  const nf = new Intl.NumberFormat("en-GB", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return (v) => (v === null || v === undefined ? "" : nf.format(v));
}

export function initIndicatorCharts(root = document) {
  for (const el of root.querySelectorAll("[data-module='mobilise-indicator-chart']")) {
    if (el.dataset.mobiliseChartInit) continue;
    const data = readIsland(el.dataset.chart);
    if (!data || !Array.isArray(data.actual)) continue;
    el.dataset.mobiliseChartInit = "true";
    const format = formatter(data.decimals ?? 1);
    const label = (name, fallback) => el.dataset[name] || fallback;

    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute(
      "aria-label",
      `${el.dataset.title || "Chart"}. ${label("labelTable", "The table below the chart has the same figures.")}`,
    );
    el.appendChild(canvas);

    const projection = data.projection || [];
    const datasets = [];
    if (projection.length) {
      // The band: the upper line fills down to the lower one (the next dataset).
      datasets.push({
        label: label("labelRange", "80% range of the projection"),
        data: projection.map((p) => ({ x: p.x, y: p.high, period: p.period, low: p.low, high: p.high })),
        borderWidth: 0,
        pointRadius: 0,
        backgroundColor: COLOURS.band,
        fill: "+1",
        order: 4,
        mobiliseRole: "range",
      });
      datasets.push({
        label: "lower",
        data: projection.map((p) => ({ x: p.x, y: p.low, period: p.period })),
        borderWidth: 0,
        pointRadius: 0,
        fill: false,
        order: 5,
        mobiliseRole: "hidden",
      });
      datasets.push({
        label: label("labelProjection", "Projected trend"),
        data: projection.map((p) => ({ x: p.x, y: p.y, period: p.period })),
        borderColor: COLOURS.projection,
        backgroundColor: COLOURS.projection,
        borderDash: [2, 4],
        borderWidth: 2,
        pointRadius: 0,
        order: 3,
      });
    }
    if (data.trajectory && data.trajectory.length) {
      datasets.push({
        label: label("labelTrajectory", "Planned trajectory"),
        data: data.trajectory.map((p) => ({ x: p.x, y: p.y, period: p.period })),
        borderColor: COLOURS.trajectory,
        backgroundColor: COLOURS.trajectory,
        borderDash: [8, 5],
        borderWidth: 2,
        pointRadius: 4,
        pointStyle: "rectRot",
        order: 2,
      });
    }
    datasets.push({
      label: label("labelActual", "Published value"),
      data: data.actual.map((p) => ({ x: p.x, y: p.y, period: p.period })),
      borderColor: COLOURS.actual,
      backgroundColor: COLOURS.actual,
      borderWidth: 3,
      pointRadius: 4,
      order: 1,
    });

    const reduceMotion = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    el.mobiliseChart = new Chart(canvas, {
      type: "line",
      data: { datasets },
      options: {
        animation: reduceMotion ? false : { duration: 300 },
        maintainAspectRatio: false,
        parsing: { xAxisKey: "x", yAxisKey: "y" },
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: {
            type: "linear",
            title: { display: true, text: label("labelYear", "Year") },
            ticks: { precision: 0, callback: (v) => (Number.isInteger(v) ? String(v) : "") },
          },
          y: {
            title: { display: Boolean(el.dataset.unit), text: el.dataset.unit || "" },
            ticks: { callback: (v) => format(v) },
          },
        },
        plugins: {
          legend: {
            labels: { filter: (item, chart) => chart.datasets[item.datasetIndex].mobiliseRole !== "hidden" },
          },
          tooltip: {
            filter: (item) => item.dataset.mobiliseRole !== "hidden",
            callbacks: {
              title: (items) => (items.length ? items[0].raw.period : ""),
              label: (ctx) =>
                ctx.dataset.mobiliseRole === "range"
                  ? `${ctx.dataset.label}: ${format(ctx.raw.low)} – ${format(ctx.raw.high)}`
                  : `${ctx.dataset.label}: ${format(ctx.raw.y)}`,
            },
          },
        },
      },
    });
  }
}

// An entry module of its own (see main.mjs): it starts itself.
initIndicatorCharts();
