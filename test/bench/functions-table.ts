/**
 * The fleet telemetry table (components/fleet/fleet-table.tsx) in Chromium: first render and a re-sort (p99) with
 * 5,000 rows against 50 rows in the same run (fresh page per sample, median of SAMPLES), and the rows the DOM
 * holds. Bundled with esbuild (next/link stubbed by an anchor), styled with the app's Tailwind CSS.
 * Prints one JSON line: {"bench":"functions-table", …}.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import tailwind from "@tailwindcss/postcss";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import postcss, { type AcceptedPlugin } from "postcss";

const root = path.resolve(__dirname, "../..");
const SAMPLES = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "functions-table-"));
  try {
    await build({
      entryPoints: [path.join(root, "test/bench/_functions-table-entry.tsx")],
      bundle: true,
      minify: true,
      format: "iife",
      platform: "browser",
      jsx: "automatic",
      tsconfig: path.join(root, "tsconfig.json"),
      alias: { "next/link": path.join(root, "test/bench/_link-stub.tsx") },
      define: { "process.env.NODE_ENV": '"production"' },
      outfile: path.join(dir, "entry.js"),
      logLevel: "error",
    });
    const cssPath = path.join(root, "app/globals.css");
    const css = await postcss([tailwind({ base: root }) as unknown as AcceptedPlugin]).process(
      readFileSync(cssPath, "utf8"),
      { from: cssPath },
    );
    writeFileSync(
      path.join(dir, "index.html"),
      `<!doctype html><html><head><meta charset="utf-8"><style>${css.css}</style></head>` +
        `<body><div id="root" style="width:1400px"></div><script src="entry.js"></script></body></html>`,
    );
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const sample = async (n: number) => {
      const page = await context.newPage();
      await page.goto(`file://${path.join(dir, "index.html")}`);
      const r = await page.evaluate((k) => window.renderTable(k), n);
      await page.close();
      return r;
    };
    const runs: Record<number, Awaited<ReturnType<typeof sample>>[]> = { 50: [], 5000: [] };
    await sample(50); // warm-up
    for (let i = 0; i < SAMPLES; i++) for (const n of [50, 5000]) runs[n]?.push(await sample(n));
    await browser.close();
    const stat = (n: number) => ({
      renderMs: round(median((runs[n] ?? []).map((r) => r.renderMs))),
      sortMs: round(median((runs[n] ?? []).map((r) => r.sortMs))),
      domRows: Math.max(...(runs[n] ?? []).map((r) => r.rows)),
    });
    const small = stat(50);
    const large = stat(5000);
    const renderRatio = round(large.renderMs / small.renderMs);
    const sortRatio = round(large.sortMs / small.sortMs);
    console.log(
      JSON.stringify({
        bench: "functions-table",
        samples: SAMPLES,
        rows50: small,
        rows5000: large,
        renderRatio,
        sortRatio,
        within2x: renderRatio <= 2 && sortRatio <= 2,
        domRowsUnder200: large.domRows < 200,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
