/**
 * The committed example reports open in a real browser (Debian's chromium, driven by playwright-core): no console
 * errors, every figure is a non-empty SVG with marks, and a screenshot is saved. Skipped, with a message, when no
 * browser is installed (`.ci/run` installs it).
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const REPORTS = resolve("reports");
const examples = existsSync(REPORTS) ? readdirSync(REPORTS, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(REPORTS, d.name, "index.html"))).map((d) => d.name) : [];

if (!CHROMIUM) console.warn("browser test skipped: no Chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does this)");

describe.skipIf(!CHROMIUM)("example reports in headless Chromium", () => {
  it("has example reports to open", () => {
    expect(examples.length).toBeGreaterThanOrEqual(9);
  });

  it.each(examples)("%s renders without console errors and with every plot drawn", async (name) => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      const errors: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      page.on("pageerror", (e) => errors.push(String(e)));
      const requests: string[] = [];
      page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
      await page.goto(`file://${join(REPORTS, name, "index.html")}`);
      const figures = await page.$$eval("figure.plot", (fs) => fs.map((f) => {
        const svg = f.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        // colours of the data marks and of the legend symbols (ink colours, black and dark grey, need no legend)
        const colours = (sel: string) => new Set([...(svg?.querySelectorAll(sel) ?? [])].flatMap((e) => [e.getAttribute("fill"), e.getAttribute("stroke")])
          .filter((c): c is string => !!c && c !== "none" && c !== "transparent").map((c) => c.toLowerCase()));
        const data = colours("g.role-mark > path, g.role-mark > line, g.role-mark > rect");
        const legend = colours("g.role-legend-symbol > path");
        const missing = data.size > 1 ? [...data].filter((c) => !legend.has(c) && c !== "#000000" && c !== "#555555") : [];
        return { id: f.id, hasSvg: !!svg, marks: svg ? svg.querySelectorAll("path, rect, line, circle, symbol").length : 0, width: box?.width ?? 0, height: box?.height ?? 0, missing };
      }));
      const dir = join(tmpdir(), "index-lab-screenshots");
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]); // self-contained: nothing fetched
      expect(figures.length).toBeGreaterThan(0);
      for (const f of figures) {
        expect(f.hasSvg).toBe(true);
        expect(f.marks).toBeGreaterThan(3);
        expect(f.width).toBeGreaterThan(50);
        expect(f.height).toBeGreaterThan(50);
        // a panel that uses colour has a legend with every colour it uses (the giant-step figure once drew points in a colour no legend named)
        expect(f.missing, `${name} ${f.id}: colours without a legend entry`).toEqual([]);
      }
    } finally {
      await browser.close();
    }
  });
});
