// The coalition pages' scripts: dashboard charts and the members' map.
import { initCoalitionCharts } from "./coalition-charts.mjs";
import { initCoalitionMaps } from "./coalition-map.mjs";

initCoalitionCharts();
initCoalitionMaps();
