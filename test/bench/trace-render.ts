/**
 * First render of the real Waterfall component in Chromium: a 10,000-span trace against a 100-span baseline,
 * measured in the same run. Each sample opens a fresh page (a user opening a trace: cold JIT, empty caches);
 * both sizes get a warm-up sample first, then SAMPLES alternating samples each, and the medians are compared.
 *
 * Two pipelines, the first being the console's:
 * - prepared: the server parsed the trace (see the trace-layout bench for that cost) and sent WaterfallData;
 *   timed from decoding that JSON text in the page to the first painted frame.
 * - raw: parse + tree + critical path + render all in the page, from the segment documents (the old design).
 *
 * Two clocks: wall time (performance.now), and the renderer main thread's CPU time (CDP Performance.getMetrics
 * ThreadTime), which time slicing on a shared, loaded machine does not inflate. The load average is printed.
 * Then the 10,000-span waterfall is scrolled top to bottom and the most rows the DOM ever held is reported.
 * The component is bundled with esbuild and styled with the app's Tailwind CSS, no Next server needed.
 * Prints one JSON line: {"bench":"trace-render", …}.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import tailwind from "@tailwindcss/postcss";
import { build } from "esbuild";
import { chromium, type BrowserContext, type CDPSession } from "playwright-core";
import postcss, { type AcceptedPlugin } from "postcss";
import { readTrace } from "@/lib/core/traces/tree";
import { toWaterfallData } from "@/lib/core/traces/waterfall-data";
import { syntheticTrace, TRACE_ID } from "@/test/unit/core/traces/fixtures";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const SAMPLES = 7;
const LARGE = 10_000;
const SMALL = 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

type Mode = "prepared" | "raw";
interface Sample {
  wallMs: number;
  cpuMs: number;
  rows: number;
  maxScrollRows: number;
}

async function threadTime(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send("Performance.getMetrics")) as {
    metrics: { name: string; value: number }[];
  };
  const t = metrics.find((m) => m.name === "ThreadTime")?.value;
  if (t === undefined) throw new Error("Chromium reported no ThreadTime metric");
  return t * 1000;
}

async function bundle(dir: string) {
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
  ]).process(readFileSync(cssPath, "utf8"), { from: cssPath });
  writeFileSync(
    path.join(dir, "index.html"),
    `<!doctype html><html><head><meta charset="utf-8"><style>${css.css}</style></head>` +
      `<body><div id="root" style="width:1400px"></div><script src="entry.js"></script></body></html>`,
  );
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "trace-render-"));
  try {
    await bundle(dir);
    // What the request page's server component sends for each size (see components/trace/request-view.tsx).
    const payload = new Map<number, string>();
    const rawBytes = new Map<number, number>();
    for (const n of [SMALL, LARGE]) {
      const segments = syntheticTrace(n);
      payload.set(n, JSON.stringify(toWaterfallData(readTrace(TRACE_ID, segments))));
      rawBytes.set(n, JSON.stringify(segments).length);
    }

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const sample = async (spans: number, mode: Mode, scroll: boolean): Promise<Sample> => {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
      await page.goto(`file://${path.join(dir, "index.html")}`);
      if (mode === "prepared") await page.evaluate((p) => window.stagePayload(p), payload.get(spans) ?? "");
      else await page.evaluate((n) => window.stageRaw(n), spans);
      const before = await threadTime(cdp);
      const r = await page.evaluate(
        (m) => (m === "prepared" ? window.renderPrepared() : window.renderRaw()),
        mode,
      );
      const cpuMs = (await threadTime(cdp)) - before;
      const scrolled = scroll ? await page.evaluate(() => window.scrollThrough(20)) : null;
      await page.close();
      return { wallMs: r.ms, cpuMs, rows: r.rows, maxScrollRows: scrolled?.maxRows ?? 0 };
    };

    const figures: Record<string, number> = {};
    let domRows = 0;
    let maxScrollRows = 0;
    for (const mode of ["prepared", "raw"] as const) {
      await sample(SMALL, mode, false);
      await sample(LARGE, mode, false);
      const small: Sample[] = [];
      const large: Sample[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        small.push(await sample(SMALL, mode, false));
        const big = await sample(LARGE, mode, mode === "prepared");
        large.push(big);
        domRows = Math.max(domRows, big.rows);
        maxScrollRows = Math.max(maxScrollRows, big.maxScrollRows);
      }
      const lw = median(large.map((s) => s.wallMs));
      const sw = median(small.map((s) => s.wallMs));
      const lc = median(large.map((s) => s.cpuMs));
      const sc = median(small.map((s) => s.cpuMs));
      const p = mode === "prepared" ? "" : "raw_";
      Object.assign(figures, {
        [`${p}firstRenderMs`]: round(lw),
        [`${p}baselineFirstRenderMs`]: round(sw),
        [`${p}ratio`]: round2(lw / sw),
        [`${p}firstRenderCpuMs`]: round(lc),
        [`${p}baselineFirstRenderCpuMs`]: round(sc),
        [`${p}cpuRatio`]: round2(lc / sc),
      });
    }
    await browser.close();
    console.log(
      JSON.stringify({
        bench: "trace-render",
        spans: LARGE,
        baselineSpans: SMALL,
        ...figures,
        ratioTarget: 3,
        domRowsAfterFirstRender: domRows,
        maxDomRowsWhileScrolling: maxScrollRows,
        domRowsTarget: 200,
        preparedPayloadBytes: payload.get(LARGE)?.length,
        rawSegmentsBytes: rawBytes.get(LARGE),
        samples: SAMPLES,
        loadAverage1m: round(loadavg()[0] ?? NaN),
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
