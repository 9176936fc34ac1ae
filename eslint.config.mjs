import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Import boundaries (DESIGN.md "Layers"): data enters through lib/aws, flows through the pure lib/core, leaves
// through lib/data to app/. Two rules keep the arrows pointing one way:
// - `import/no-restricted-paths` works on RESOLVED files, so `@/lib/aws/x`, `../aws/x` and `../../lib/aws/x`
//   are the same import to it. Every layer's allowed neighbours are listed once in LAYERS below.
// - `no-restricted-imports` covers bare package names a path rule cannot see (the SDK, the framework, the
//   sandbox package) and is a second net for alias forms if a resolver ever fails.
// test/unit/lint-boundaries.test.ts feeds each forbidden import to ESLint and expects these rules to fire.

const root = dirname(fileURLToPath(import.meta.url));

// Every area of the tree that a layer could import from. Root files (proxy.ts, instrumentation.ts) are
// composition roots and may import anything; nothing imports them.
const AREAS = [
  "app",
  "components",
  "lib/core",
  "lib/config",
  "lib/aws",
  "lib/store",
  "lib/collector",
  "lib/data",
  "lib/auth",
  "lib/url",
  "sandbox",
  "scripts",
  "test",
];

// Who may import whom (besides itself). Components read lib/data's view types and the pure view helpers that
// live there today (summaries, row models): lib/data is allowed for them, lib/aws/store/collector never are.
// Components may read the clock (lib/config/clock.ts) but not the server's environment.
const LAYERS = {
  "lib/core": [],
  "lib/config": ["lib/core"],
  "lib/aws": ["lib/core", "lib/config"],
  "lib/store": ["lib/core"],
  "lib/collector": ["lib/aws", "lib/store", "lib/core", "lib/config"],
  "lib/data": ["lib/aws", "lib/store", "lib/collector", "lib/core", "lib/config", "lib/auth"],
  "lib/auth": ["lib/core", "lib/config", "lib/store"],
  "lib/url": ["lib/core", "lib/config"],
  components: ["components", "lib/core", "lib/url", "lib/data", "lib/config/clock.ts"],
  app: ["app", "components", "lib/core", "lib/config", "lib/data", "lib/auth", "lib/url"],
  sandbox: [],
};

const WHY = {
  "lib/core": "lib/core is pure: it imports only lib/core.",
  "lib/config": "lib/config depends on lib/core only.",
  "lib/aws": "lib/aws (the adapters) depends on lib/core and lib/config only.",
  "lib/store": "The store holds domain types and depends on lib/core only (inject config and the clock).",
  "lib/collector": "lib/collector reads AWS through lib/aws and writes the store; it never reaches up.",
  "lib/data": "lib/data sits under app/: it never imports app/, components/, lib/url or the sandbox.",
  "lib/auth": "lib/auth depends on lib/core, lib/config and lib/store only.",
  "lib/url": "lib/url (URL state) depends on lib/core and lib/config only.",
  components:
    "Components import components, lib/core, lib/url and lib/data's views; never app/, lib/aws, the store, the collector or the sandbox.",
  app: "app/ reaches AWS, the store and the collector only through lib/data (and the sandbox never).",
  sandbox: "The sandbox shares no code with the console: it is an independent implementation.",
};

/** The areas a layer may not import at all, and single files allowed inside an otherwise forbidden area. */
function forbidden(layer, layers = LAYERS) {
  const allowed = layers[layer];
  const files = allowed.filter((a) => !AREAS.includes(a));
  const areas = AREAS.filter((a) => a !== layer && !allowed.includes(a));
  const whole = areas.filter((a) => !files.some((f) => f.startsWith(`${a}/`)));
  const partly = areas
    .filter((a) => !whole.includes(a))
    .map((a) => ({
      area: a,
      except: files.filter((f) => f.startsWith(`${a}/`)).map((f) => `./${f.slice(a.length + 1)}`),
    }));
  return { whole, partly };
}

/** One zone per layer: everything that is neither the layer itself nor an allowed neighbour. */
function zone(layer, layers = LAYERS) {
  const { whole, partly } = forbidden(layer, layers);
  const message = WHY[layer];
  return [
    { target: `./${layer}`, from: whole.map((a) => `./${a}`), message },
    ...partly.map(({ area, except }) => ({ target: `./${layer}`, from: `./${area}`, except, message })),
  ];
}
const zones = Object.keys(LAYERS).flatMap((layer) => zone(layer));

// Files allowed one step more than their layer, each for a stated reason.
const EXCEPTIONS = [
  // Component tests live beside the components and read the shared test fixtures.
  { files: ["components/**/*.test.ts", "components/**/*.test.tsx"], layer: "components", also: ["test"] },
  // The store's composition root opens the database named by the environment, stamped by the one clock.
  { files: ["lib/store/index.ts"], layer: "lib/store", also: ["lib/config/env.ts", "lib/config/clock.ts"] },
];

const sdk = {
  group: ["@aws-sdk/*", "@smithy/*"],
  message: "Only lib/aws talks to the AWS SDK (and the sandbox, which implements its wire protocols).",
};
const sandbox = {
  group: ["@fleetscope/sandbox", "@fleetscope/sandbox/*", "@/sandbox", "@/sandbox/*", "**/sandbox/src/*"],
  message:
    "The console reaches the sandbox only through the SDK endpoint; only scripts/ and test/ import it.",
};
const databaseDrivers = {
  group: ["better-sqlite3", "pg", "kysely", "kysely/*"],
  message: "Only lib/store talks to the database (SQLite or PostgreSQL through Kysely).",
};
const framework = {
  group: ["next", "next/*", "react", "react-dom", "react/*", "server-only", "client-only"],
  message: "lib/core is pure: no framework imports.",
};
const react = { group: ["next", "next/*", "react", "react/*"], message: "This layer runs outside Next too." };
const alias = (layers, message) => ({ group: layers.flatMap((l) => [`@/${l}`, `@/${l}/*`]), message });

/** no-restricted-imports for one layer (ESLint keeps the LAST matching config's options, so one per layer). */
const restrictImports = (files, patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

/** A layer's no-restricted-imports patterns: packages it may not use plus the alias form of forbidden areas. */
const layerPatterns = (layer, layers = LAYERS) => [
  ...(layer === "lib/aws" ? [] : [sdk]),
  ...(layer === "lib/store" ? [] : [databaseDrivers]),
  sandbox,
  ...(layer === "lib/core" ? [framework] : []),
  ...(layer === "lib/collector" ? [react] : []),
  alias(
    forbidden(layer, layers).whole.filter((a) => a !== "sandbox"),
    WHY[layer],
  ),
];

const dateNow = {
  object: "Date",
  property: "now",
  message: "Take `now` from an injected Clock (lib/config/clock.ts).",
};

// `new Date()` with no argument reads the clock too.
const newDate = {
  selector: "NewExpression[callee.name='Date'][arguments.length=0]",
  message: "Take `now` from an injected Clock (lib/config/clock.ts).",
};

// Where the real clock (lib/config/clock.ts's `systemClock`) may be imported: composition roots, which build
// production deps and hand `now` down; everything else takes time from its deps/options (DESIGN.md "Time").
// app/** (pages and route handlers: the request's one instant) and scripts/ are roots and not linted by this.
const CLOCK_ROOTS = [
  "lib/config/clock.ts", // defines it
  "lib/store/index.ts", // opens the production database, stamped by the real clock
  "lib/collector/collector.ts", // the collector's entry: fills CollectorOptions.now when not given
  "lib/aws/logs.ts", // the Logs port's production timing (its deadlines count on it)
  "lib/aws/xray.ts", // the X-Ray port's production polling clock
  "lib/auth/server.ts", // the session's server entry (token expiry against real time)
  "lib/data/telemetry/deps.ts", // defaultTelemetryDeps
  "lib/data/traces/deps.ts", // defaultTraceDeps
  "lib/data/traffic/default-deps.ts", // the traffic use-cases' production deps
  "lib/data/errors.ts", // its production deps object
  "lib/data/edge.ts", // its production deps object
  "lib/data/telemetry/deploy-markers.ts", // its production deps object
  "lib/data/advisor/cli.ts", // `npm run advise`'s entry
  "lib/data/cache.ts", // createCache's default clock (tests pass their own)
  "lib/data/collector/status.ts", // collectorStatus's default `now` argument (its page passes none)
  "components/shell/time-range-picker.tsx", // client root: the browser's now, to validate (never clamp) the URL's range
];
// Still reading the real clock past an injected `now` (a `deps.now ?? systemClock.now` fallback or a direct
// read): to be given their clock by their callers. Listed so that no NEW file does the same.
const CLOCK_NOT_YET_INJECTED = [
  "lib/data/advisor/index.ts",
  "lib/data/advisor/collect-first.ts",
  "lib/data/advisor/collect-live.ts",
  "lib/data/traffic/runner.ts",
  "lib/data/triggers.ts",
  "lib/data/triggers-fleet.ts",
];
const systemClockImport = {
  selector:
    "ImportDeclaration[source.value=/config\\/clock(\\.ts)?$/] > ImportSpecifier[imported.name='systemClock'], MemberExpression[property.name='systemClock']",
  message:
    "Only composition roots import systemClock (eslint.config.mjs CLOCK_ROOTS): take `now` from your deps or options.",
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", "coverage/**", ".data/**"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { basePath: root, zones }],
    },
  },
  ...Object.keys(LAYERS)
    .filter((layer) => layer !== "sandbox")
    .map((layer) => restrictImports([`${layer}/**`], layerPatterns(layer))),
  ...EXCEPTIONS.map(({ files, layer, also }) => {
    const layers = { ...LAYERS, [layer]: [...LAYERS[layer], ...also] };
    return {
      files,
      rules: {
        "import/no-restricted-paths": [
          "error",
          { basePath: root, zones: Object.keys(LAYERS).flatMap((l) => zone(l, layers)) },
        ],
        "no-restricted-imports": ["error", { patterns: layerPatterns(layer, layers) }],
      },
    };
  }),
  restrictImports(
    ["sandbox/**"],
    [
      {
        group: ["@/*", "@fleetscope/*", "!@fleetscope/sandbox", "!@fleetscope/sandbox/*"],
        message: WHY.sandbox,
      },
    ],
  ),
  {
    // One clock: pages, components and lib take `now` from lib/config/clock.ts (lib/core has its own block).
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/config/clock.ts", "lib/core/**"],
    rules: { "no-restricted-properties": ["error", dateNow], "no-restricted-syntax": ["error", newDate] },
  },
  {
    // systemClock outside a composition root (this block repeats newDate: ESLint keeps the last block's options).
    files: ["components/**", "lib/**"],
    ignores: ["lib/core/**", ...CLOCK_ROOTS, ...CLOCK_NOT_YET_INJECTED],
    rules: { "no-restricted-syntax": ["error", newDate, systemClockImport] },
  },
  {
    files: ["lib/core/**"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "lib/core reads no environment: pass values in." },
        { ...dateNow, message: "lib/core takes `now` as an argument." },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "lib/core is pure." }],
      "no-restricted-syntax": ["error", { ...newDate, message: "lib/core takes `now` as an argument." }],
    },
  },
  {
    // The store is async (SQLite or PostgreSQL): a store call that is not awaited, or a Promise used as a value
    // (`if (store.leases.acquire(…))`), is a bug the type checker alone does not see.
    files: ["app/**/*.{ts,tsx}", "lib/**/*.ts", "scripts/**/*.ts", "instrumentation.ts", "proxy.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/await-thenable": "error",
    },
  },
]);
