// Bootstrap with only what the portal uses: every selector of static/vendor/bootstrap/bootstrap.min.css whose
// classes appear in a template, a Python module (form widgets, admin) or a script of the project, or in the
// crispy-forms Bootstrap 5 templates, is kept; the rest is dropped. Run by `make css` whenever templates change;
// tests/test_css.py fails when a template uses a Bootstrap class that the built file has lost.
import { PurgeCSS } from "purgecss";
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const site = readdirSync(join(root, ".venv", "lib")).map((python) => join(".venv", "lib", python, "site-packages"));
const content = [
  "templates/**/*.html",
  "{portal,residents,services,volunteers,councils}/**/*.py",
  "static/{portal,services,volunteers,councils}/**/*.js",
  ...site.map((dir) => `${dir}/crispy_bootstrap5/templates/**/*.html`),
  ...site.map((dir) => `${dir}/crispy_forms/templates/**/*.html`),
].map((glob) => join(root, glob));

const [result] = await new PurgeCSS().purge({
  content,
  css: [join(root, "static/vendor/bootstrap/bootstrap.min.css")],
  // Classes a template builds from a value (messages: alert-{{ level }}, badges: text-bg-{{ tone }}) and the
  // states the menu script and the browser set.
  safelist: {
    standard: ["show", "collapsing", "collapsed", "active", "disabled", "is-invalid", "is-valid", "was-validated"],
    greedy: [/^alert-/, /^text-bg-/, /^bg-/, /^btn-/, /^badge/],
  },
  variables: true,
  keyframes: true,
  fontFace: true,
});
const out = join(root, "static/vendor/bootstrap/bootstrap.portal.min.css");
const banner = "/*! Bootstrap v5 (MIT, see LICENSE), reduced to the classes the portal uses by bench/frontend/build-css.mjs */\n";
writeFileSync(out, banner + result.css.replace(/^\/\*![^*]*\*\/\s*/, ""));
const before = readFileSync(join(root, "static/vendor/bootstrap/bootstrap.min.css")).length;
console.log(`${out}: ${(before / 1024).toFixed(1)} KB -> ${((banner.length + result.css.length) / 1024).toFixed(1)} KB`);
