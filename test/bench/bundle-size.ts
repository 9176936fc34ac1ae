/**
 * First-load JavaScript of the overview route `/`, gzipped, from the production build output (`npm run build`
 * first, or pass --build): the framework's root chunks plus every client chunk the route's segments (layout,
 * error, not-found, page) load, each file counted once. Baseline in the same run: the root chunks alone (what
 * any route costs). Budget: < 250 KB. Prints one JSON line: {"bench":"bundle-size", …}.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

const root = path.resolve(__dirname, "../..");
const next = path.join(root, ".next");
const BUDGET_KB = 250;

function main() {
  if (process.argv.includes("--build") || !existsSync(path.join(next, "BUILD_ID"))) {
    const r = spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], {
      cwd: root,
      stdio: "inherit",
    });
    if (r.status !== 0) throw new Error("next build failed");
  }
  const build = JSON.parse(readFileSync(path.join(next, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  // The client reference manifest is a script that registers itself on `self`; run it in a sandboxed context.
  const ctx: { self: { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } } = {
    self: {},
  };
  runInNewContext(readFileSync(path.join(next, "server/app/page_client-reference-manifest.js"), "utf8"), {
    ...ctx,
    globalThis: ctx.self,
  });
  const entry = ctx.self.__RSC_MANIFEST?.["/page"]?.entryJSFiles ?? {};
  const segments = Object.keys(entry).filter((k) => /\/app\/(layout|error|not-found|page)$/.test(k));
  if (!segments.some((k) => k.endsWith("/app/page")))
    throw new Error("no entry for app/page in the manifest");
  const files = new Set([...build.rootMainFiles, ...segments.flatMap((k) => entry[k] ?? [])]);
  const gz = (f: string) => gzipSync(readFileSync(path.join(next, f))).length;
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
  const total = [...files].reduce((a, f) => a + gz(f), 0);
  const baseline = build.rootMainFiles.reduce((a, f) => a + gz(f), 0);
  console.log(
    JSON.stringify({
      bench: "bundle-size",
      route: "/",
      files: files.size,
      firstLoadKbGzip: kb(total),
      baselineRootChunksKbGzip: kb(baseline),
      routeOwnKbGzip: kb(total - baseline),
      budgetKb: BUDGET_KB,
      underBudget: kb(total) < BUDGET_KB,
    }),
  );
}

main();
