// Draws a place's boundary with Leaflet over the server-rendered SVG outline.
// No tile server: the map shows the boundary and its neighbours only, so it works offline.
import L from "leaflet";

export function initPlaceMaps() {
  for (const el of document.querySelectorAll("[data-module='mobilise-place-map']")) {
    const source = document.getElementById(el.dataset.geojson);
    if (!source) continue;
    const data = JSON.parse(source.textContent);
    el.replaceChildren();
    const map = L.map(el, { attributionControl: true, zoomSnap: 0.25 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Source: Office for National Statistics licensed under the Open Government Licence v.3.0");
    const layer = L.geoJSON(data, {
      style: (feature) => (feature.properties && feature.properties.role === "context"
        ? { color: "#505a5f", weight: 1, fillOpacity: 0.05 }
        : { color: "#1d70b8", weight: 2, fillOpacity: 0.25 }),
      onEachFeature: (feature, lyr) => {
        if (feature.properties && feature.properties.name) lyr.bindTooltip(feature.properties.name);
      },
    }).addTo(map);
    const focus = layer.getLayers().filter((l) => l.feature.properties.role !== "context");
    map.fitBounds(L.featureGroup(focus.length ? focus : layer.getLayers()).getBounds(), { padding: [12, 12] });
  }
}
