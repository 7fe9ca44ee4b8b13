// Draws where a coalition's members are with Leaflet, over the server-rendered SVG map.
// No tile server (the CSP allows no third-party requests): the areas members are based in, each
// with a circle sized by its count. The table beside the map has the same figures.
import L from "leaflet";

function text(value) {
  // Text, never HTML: place names and labels come from data (as in choropleth.mjs).
  const span = document.createElement("span");
  span.textContent = value;
  return span;
}

export function initCoalitionMaps(root = document) {
  for (const el of root.querySelectorAll("[data-module='mobilise-coalition-map']")) {
    if (el.dataset.mobiliseMapInit) continue;
    const source = document.getElementById(el.dataset.geojson || "");
    let data = null;
    try {
      data = source ? JSON.parse(source.textContent) : null;
    } catch {
      data = null;
    }
    if (!data || !Array.isArray(data.features) || data.features.length === 0) continue;
    el.dataset.mobiliseMapInit = "true";

    el.replaceChildren();
    el.classList.add("mobilise-map--enhanced");
    const map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    const areas = L.geoJSON(data, {
      style: { color: "#1d70b8", weight: 1.5, fillColor: "#d2e2f1", fillOpacity: 1 },
      onEachFeature: (feature, layer) => {
        const { name, label, url } = feature.properties || {};
        if (name) layer.bindTooltip(text(`${name}: ${label}`), { sticky: true });
        if (url) layer.on("click", () => window.location.assign(url));
      },
    }).addTo(map);
    // The view first: permanent tooltips need one to be placed.
    map.fitBounds(areas.getBounds(), { padding: [12, 12] });
    const largest = Math.max(...data.features.map((f) => f.properties?.count || 0), 1);
    for (const feature of data.features) {
      const { point, count, name, label } = feature.properties || {};
      if (!Array.isArray(point)) continue;
      L.circleMarker([point[1], point[0]], {
        radius: 7 + 13 * Math.sqrt((count || 0) / largest),
        color: "#ffffff",
        weight: 2,
        fillColor: "#1d70b8",
        fillOpacity: 1,
      })
        .bindTooltip(text(`${count}`), { permanent: true, direction: "center", className: "mobilise-coalition-map__count" })
        .bindPopup(text(`${name}: ${label}`))
        .addTo(map);
    }
  }
}
