// Progressive enhancement only: every page works without this file.
import { initAll } from "govuk-frontend";
import "htmx.org";
import { initPlaceMaps } from "./place-map.mjs";
import "./coalition-main.mjs"; // dashboard charts and the members' map: they start themselves
import { initIndicators } from "./indicator-chart.mjs";

initAll();
initPlaceMaps();
initIndicators();
