// Draws a place's boundary with Leaflet over the server-rendered SVG outline.
// No tile server: the map shows the place, the areas inside it and its neighbours only, so it
// needs no third-party requests (the CSP allows none) and works offline.
// The SVG stays for anyone without JavaScript; every fact on the map is also in the page's text.
import L from "leaflet";

function text(value) {
  // Text, never HTML: place names come from data (as in choropleth.mjs).
  const span = document.createElement("span");
  span.textContent = value;
  return span;
}

const STYLES = {
  focus: { color: "#1d70b8", weight: 3, fillColor: "#1d70b8", fillOpacity: 0.25 },
  child: { color: "#1d70b8", weight: 1, fillOpacity: 0, opacity: 0.8 },
  neighbour: { color: "#505a5f", weight: 1, fillColor: "#ffffff", fillOpacity: 1 },
};

function readGeoJSON(el) {
  const source = document.getElementById(el.dataset.geojson || "");
  if (!source) return null;
  try {
    return JSON.parse(source.textContent);
  } catch {
    return null; // keep the SVG rather than show an empty box
  }
}

export function initPlaceMaps(root = document) {
  for (const el of root.querySelectorAll("[data-module='mobilise-place-map']")) {
    if (el.dataset.mobilisePlaceMapInit) continue;
    const data = readGeoJSON(el);
    if (!data || !Array.isArray(data.features) || data.features.length === 0) continue;
    el.dataset.mobilisePlaceMapInit = "true";

    el.replaceChildren();
    el.classList.add("mobilise-map--enhanced");
    // No attribution control: the figure's caption, right under the map, credits the source.
    const map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });

    // Neighbours first, then the place, then the lines inside it, so each draws over the last.
    const order = { neighbour: 0, focus: 1, child: 2 };
    const features = [...data.features].sort(
      (a, b) => (order[a.properties?.role] ?? 0) - (order[b.properties?.role] ?? 0),
    );
    const layer = L.geoJSON({ type: "FeatureCollection", features }, {
      style: (feature) => STYLES[feature.properties?.role] || STYLES.neighbour,
      onEachFeature: (feature, lyr) => {
        const { name, role, url } = feature.properties || {};
        if (name) lyr.bindTooltip(text(name), { sticky: true });
        // Pointer users can go to a neighbour or a part; keyboard users have the same links in the page.
        if (url && role !== "focus") lyr.on("click", () => window.location.assign(url));
      },
    }).addTo(map);

    const focus = layer.getLayers().filter((l) => l.feature.properties?.role === "focus");
    map.fitBounds(L.featureGroup(focus.length ? focus : layer.getLayers()).getBounds(), {
      padding: [12, 12],
    });
  }
}

// An entry module of its own (see main.mjs): it starts itself.
initPlaceMaps();
