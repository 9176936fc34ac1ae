/**
 * First render of the real Waterfall component in Chromium: a 10,000-span trace against a 100-span baseline,
 * measured in the same run (fresh page per sample, median of SAMPLES), from handing over the raw segment
 * documents to the first painted frame (parse + tree + layout + render). Then scrolls the 10,000-span waterfall
 * top to bottom and reports the most rows the DOM ever held (virtualization keeps it to a screenful).
 * The component is bundled with esbuild and styled with the app's Tailwind CSS, no Next server needed.
 * Prints one JSON line: {"bench":"trace-render", …}.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import tailwind from "@tailwindcss/postcss";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import postcss, { type AcceptedPlugin } from "postcss";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const SAMPLES = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-render-"));
  try {
    await build({
      entryPoints: [path.join(root, "test/bench/_trace-render-entry.tsx")],
      bundle: true,
      minify: true,
      format: "iife",
      platform: "browser",
      jsx: "automatic",
      tsconfig: path.join(root, "tsconfig.json"),
      define: { "process.env.NODE_ENV": '"production"' },
      outfile: path.join(dir, "entry.js"),
      logLevel: "error",
    });
    const cssPath = path.join(root, "app/globals.css");
    const css = await postcss([
      // @tailwindcss/postcss is typed against its own copy of postcss; the runtime API is the same.
      tailwind({ base: root }) as unknown as AcceptedPlugin,
    ]).process(readFileSync(cssPath, "utf8"), {
      from: cssPath,
    });
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
    const sample = async (spans: number) => {
      const page = await context.newPage();
      await page.goto(`file://${path.join(dir, "index.html")}`);
      const r = await page.evaluate((n) => window.renderTrace(n), spans);
      const scroll = spans >= 10_000 ? await page.evaluate(() => window.scrollThrough(20)) : null;
      await page.close();
      return { ...r, scroll };
    };
    await sample(100); // warm the browser up
    const small: number[] = [];
    const large: number[] = [];
    let domRows = 0;
    let maxScrollRows = 0;
    for (let i = 0; i < SAMPLES; i++) {
      small.push((await sample(100)).ms);
      const big = await sample(10_000);
      large.push(big.ms);
      domRows = Math.max(domRows, big.rows);
      maxScrollRows = Math.max(maxScrollRows, big.scroll?.maxRows ?? 0);
    }
    await browser.close();
    const l = median(large);
    const s = median(small);
    console.log(
      JSON.stringify({
        bench: "trace-render",
        spans: 10_000,
        baselineSpans: 100,
        firstRenderMs: round(l),
        baselineFirstRenderMs: round(s),
        ratio: round(l / s),
        ratioTarget: 3,
        domRowsAfterFirstRender: domRows,
        maxDomRowsWhileScrolling: maxScrollRows,
        domRowsTarget: 200,
        samples: SAMPLES,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
