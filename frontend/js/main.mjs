// Progressive enhancement only: every page works without this file.
//
// This module is small and on every page: GOV.UK Frontend and HTMX. Chart.js and Leaflet are
// large, so a page's charts and maps are loaded only when the page has an element for them: each
// is its own entry module (dist/<name>.js, which starts itself), and esbuild splits what they
// share (Chart.js, Leaflet) into chunks under dist/chunks/.
//
// They are added as <script type="module"> elements rather than with import(): a script element
// delays the page's load event until it has run, so "the page has loaded" still means "the
// charts and maps are drawn" (for people's tools and our browser tests alike), which import()
// does not promise. Same origin, so the CSP's 'self' allows them.
import { initAll } from "govuk-frontend";
import "htmx.org";

initAll();

// HTMX replaces part of a page in place (the statement card after a vote). The button that was
// pressed goes with it, and focus would fall back to the top of the page: keyboard and
// screen-reader users would lose their place. The new content names what should take focus.
document.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("[data-focus-after-swap]");
  if (target && !target.contains(document.activeElement)) target.focus();
});

const ENHANCEMENTS = [
  ["place-map", ["mobilise-place-map"]],
  ["indicator-chart", ["mobilise-indicator-chart"]],
  ["choropleth", ["mobilise-choropleth"]],
  ["coalition-main", ["mobilise-coalition-chart", "mobilise-coalition-map"]],
  ["vote-card", ["mobilise-vote-card"]],
];

function has(module) {
  return document.querySelector(`[data-module='${module}']`) !== null;
}

for (const [name, modules] of ENHANCEMENTS) {
  if (modules.some(has)) {
    const script = document.createElement("script");
    script.type = "module";
    script.src = new URL(`./${name}.js`, import.meta.url).href;
    // Carry the page's nonce too, in case the CSP ever stops allowing 'self' on its own.
    const nonce = document.querySelector("script[nonce]")?.nonce;
    if (nonce) script.nonce = nonce;
    document.head.append(script);
  }
}
