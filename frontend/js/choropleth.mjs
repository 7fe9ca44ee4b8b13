// Draws a choropleth with Leaflet over the server-rendered SVG map, from two sources: the page's
// JSON data island (each area's value and colour class, worked out by the server) and the level's
// simplified boundaries (one cached GeoJSON document per level, shared by every indicator).
// No tile server and no third-party requests. The SVG stays if anything fails, and the sortable
// table under the map has every figure either way.
import L from "leaflet";

function readIsland(id) {
  const source = document.getElementById(id || "");
  if (!source) return null;
  try {
    return JSON.parse(source.textContent);
  } catch {
    return null;
  }
}

function tooltip(text) {
  // Text, never HTML: names come from data.
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

export async function drawChoropleth(el) {
  const values = readIsland(el.dataset.values);
  if (!values || !Array.isArray(values.areas) || !el.dataset.geojsonUrl) return false;
  let geo;
  try {
    const response = await fetch(el.dataset.geojsonUrl, { credentials: "same-origin" });
    if (!response.ok) return false;
    geo = await response.json();
  } catch {
    return false;
  }
  const byCode = new Map(values.areas.map((a) => [a.code, a]));
  const noData = new Map((values.noDataAreas || []).map((a) => [a.code, a]));
  const features = (geo.features || []).filter(
    (f) => byCode.has(f.properties?.code) || noData.has(f.properties?.code),
  );
  if (!features.length) return false;
  // Areas without data underneath, so the coloured ones draw over shared borders.
  features.sort((a, b) => Number(byCode.has(a.properties.code)) - Number(byCode.has(b.properties.code)));

  el.replaceChildren();
  el.classList.add("mobilise-map--enhanced");
  const map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
  const noDataLabel = el.dataset.noDataLabel || "No data";
  const layer = L.geoJSON(
    { type: "FeatureCollection", features },
    {
      style: (feature) => {
        const area = byCode.get(feature.properties.code);
        return {
          color: "#505a5f",
          weight: 0.6,
          fillOpacity: 1,
          fillColor: area ? values.palette[area.class] || values.noData : values.noData,
          className: area ? "mobilise-choropleth__area" : "mobilise-choropleth__area--no-data",
        };
      },
      onEachFeature: (feature, lyr) => {
        const code = feature.properties.code;
        const area = byCode.get(code) || noData.get(code);
        if (!area) return;
        const text = byCode.has(code)
          ? `${area.name}: ${area.display ?? area.value} (${area.period})`
          : `${area.name}: ${noDataLabel}`;
        lyr.bindTooltip(tooltip(text), { sticky: true });
        lyr.on("mouseover", () => lyr.setStyle({ weight: 2.5, color: "#0b0c0c" }));
        lyr.on("mouseout", () => layer.resetStyle(lyr));
      },
    },
  ).addTo(map);
  const coloured = layer.getLayers().filter((l) => byCode.has(l.feature.properties.code));
  map.fitBounds(L.featureGroup(coloured.length ? coloured : layer.getLayers()).getBounds(), {
    padding: [8, 8],
  });
  el.dataset.mobiliseChoroplethDrawn = "true";
  return true;
}

export function initChoropleths(root = document) {
  for (const el of root.querySelectorAll("[data-module='mobilise-choropleth']")) {
    if (el.dataset.mobiliseChoroplethInit) continue;
    el.dataset.mobiliseChoroplethInit = "true";
    drawChoropleth(el);
  }
}

// An entry module of its own (see main.mjs): it starts itself.
initChoropleths();
