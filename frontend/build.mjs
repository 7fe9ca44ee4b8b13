// Builds mobilise/static/dist from the npm packages installed by `npm ci`:
// one stylesheet (Dart Sass), ES modules (esbuild), and the GOV.UK Frontend and Leaflet images.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "mobilise/static/dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend/scss/main.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "main.css"), css.css);

// main.js is on every page; it adds the other entry modules (dist/<name>.js) only to pages with
// a chart or a map. Chart.js and Leaflet, shared between those, are split into dist/chunks/.
await build({
  entryPoints: Object.fromEntries(
    ["main", "place-map", "indicator-chart", "choropleth", "coalition-main", "vote-card"].map((name) => [
      name,
      join(root, `frontend/js/${name}.mjs`),
    ]),
  ),
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  outdir: out,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});

// Leaflet's stylesheet (compiled into main.css) refers to url(images/…): its images sit beside main.css.
cpSync(join(root, "node_modules/leaflet/dist/images"), join(out, "images"), { recursive: true });

const govuk = join(root, "node_modules/govuk-frontend/dist/govuk/assets");
cpSync(join(govuk, "images"), join(out, "assets/images"), { recursive: true });
cpSync(join(govuk, "manifest.json"), join(out, "assets/manifest.json"));
console.log("built", out);
