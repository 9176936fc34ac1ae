/**
 * The import boundaries of eslint.config.mjs (DESIGN.md "Layers"), checked through ESLint itself: each
 * forbidden import, in its `@/` alias form AND its relative form, must be reported by the boundary rule, and
 * one allowed import per layer must lint clean (so the rules cannot pass by rejecting everything). The probe
 * files need not exist; the files they import do, because `import/no-restricted-paths` judges resolved paths.
 */
import { ESLint } from "eslint";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const PATHS = "import/no-restricted-paths";
const IMPORTS = "no-restricted-imports";
const CLOCK = "no-restricted-properties";

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    // The probes are virtual files no TypeScript project holds: lint them without type information (the
    // promise rules that need it are not what this test is about).
    overrideConfig: {
      files: ["**/probe.ts", "**/probe.tsx"],
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        "@typescript-eslint/no-floating-promises": "off",
        "@typescript-eslint/no-misused-promises": "off",
        "@typescript-eslint/await-thenable": "off",
      },
    },
  });
});

/** Lints `code` as if it were the file `file` (relative to the repository) and returns the rules it broke. */
async function rulesBroken(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.severity === 2)
    .map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const importOf = (specifier: string) =>
  `import * as probe from "${specifier}";\nexport const used = probe;\n`;

// [importing file, specifier, why it is forbidden]: each layer's forbidden neighbours, alias and relative.
const FORBIDDEN_PATHS: [string, string, string][] = [
  ["lib/core/probe.ts", "@/lib/data/validate", "core → data"],
  ["lib/core/probe.ts", "../data/validate", "core → data (relative)"],
  ["lib/core/probe.ts", "@/lib/config/env", "core → config"],
  ["lib/core/probe.ts", "../config/env", "core → config (relative)"],
  ["lib/core/time/probe.ts", "../../aws/lambda", "core → aws (relative, two levels)"],
  ["lib/config/probe.ts", "@/lib/store/database", "config → store"],
  ["lib/config/probe.ts", "../store/database", "config → store (relative)"],
  ["lib/aws/probe.ts", "@/lib/store/database", "aws → store"],
  ["lib/aws/probe.ts", "../data/validate", "aws → data (relative)"],
  ["lib/store/probe.ts", "@/lib/config/env", "store → config"],
  ["lib/store/probe.ts", "../config/env", "store → config (relative)"],
  ["lib/store/probe.ts", "@/lib/aws/lambda", "store → aws"],
  ["lib/store/probe.ts", "../collector/budget", "store → collector (relative)"],
  ["lib/collector/probe.ts", "@/lib/data/validate", "collector → data"],
  ["lib/collector/probe.ts", "../data/validate", "collector → data (relative)"],
  ["lib/data/probe.ts", "@/app/lookup-view", "data → app"],
  ["lib/data/probe.ts", "../../app/lookup-view", "data → app (relative)"],
  ["lib/data/probe.ts", "@/components/ui/notice", "data → components"],
  ["lib/auth/probe.ts", "@/lib/aws/lambda", "auth → aws"],
  ["lib/auth/probe.ts", "../data/validate", "auth → data (relative)"],
  ["lib/url/probe.ts", "@/lib/store/database", "url → store"],
  ["lib/url/probe.ts", "../data/validate", "url → data (relative)"],
  ["components/probe.tsx", "@/app/lookup-view", "components → app"],
  ["components/ui/probe.tsx", "../../app/lookup-view", "components → app (relative)"],
  ["components/probe.tsx", "@/lib/aws/lambda", "components → aws"],
  ["components/ui/probe.tsx", "../../lib/aws/lambda", "components → aws (relative)"],
  ["components/probe.tsx", "@/lib/store/database", "components → store"],
  ["components/ui/probe.tsx", "../../lib/store/database", "components → store (relative)"],
  ["components/probe.tsx", "@/lib/collector/budget", "components → collector"],
  ["components/probe.tsx", "@/lib/config/env", "components → the server's environment"],
  ["app/probe.ts", "@/lib/aws/lambda", "app → aws"],
  ["app/probe.ts", "../lib/aws/lambda", "app → aws (relative)"],
  ["app/probe.ts", "@/lib/store/database", "app → store"],
  ["app/api/probe.ts", "../../lib/store/database", "app → store (relative)"],
  ["app/probe.ts", "@/lib/collector/budget", "app → collector"],
  ["app/probe.ts", "../lib/collector/budget", "app → collector (relative)"],
  ["lib/data/probe.ts", "../../sandbox/src/server", "console → sandbox (relative)"],
  ["components/probe.tsx", "../sandbox/src/server", "components → sandbox (relative)"],
  ["app/probe.ts", "../sandbox/src/server", "app → sandbox (relative)"],
  ["lib/core/probe.ts", "../../test/support/clock-replay", "lib → test (relative)"],
  ["sandbox/src/probe.ts", "../../lib/core/units", "sandbox → console (relative)"],
  ["sandbox/src/probe.ts", "@/lib/core/units", "sandbox → console (alias)"],
];

// [importing file, specifier, why]: packages and alias forms that no-restricted-imports names directly.
const FORBIDDEN_PACKAGES: [string, string, string][] = [
  ["lib/data/probe.ts", "@aws-sdk/client-lambda", "the SDK outside lib/aws"],
  ["lib/collector/probe.ts", "@smithy/types", "the SDK outside lib/aws"],
  ["components/probe.tsx", "@aws-sdk/client-lambda", "the SDK in a component"],
  ["app/probe.ts", "@aws-sdk/client-lambda", "the SDK in a page"],
  ["lib/core/probe.ts", "next/server", "the framework in lib/core"],
  ["lib/core/probe.ts", "react", "the framework in lib/core"],
  ["lib/collector/probe.ts", "next/headers", "the framework in the collector"],
  ["lib/data/probe.ts", "@fleetscope/sandbox", "the sandbox package in lib/data"],
  ["lib/aws/probe.ts", "@fleetscope/sandbox/server", "the sandbox package in lib/aws"],
  ["components/probe.tsx", "@fleetscope/sandbox", "the sandbox package in a component"],
  ["app/probe.ts", "@fleetscope/sandbox/server", "the sandbox package in a page"],
  ["lib/store/probe.ts", "@/sandbox/src/server", "the sandbox by alias"],
  ["sandbox/src/probe.ts", "@fleetscope/console", "another workspace package in the sandbox"],
  ["lib/data/probe.ts", "kysely", "the query builder outside lib/store"],
  ["lib/collector/probe.ts", "pg", "the PostgreSQL driver outside lib/store"],
  ["app/probe.ts", "better-sqlite3", "the SQLite driver in a page"],
];

// [importing file, specifier]: one allowed import per layer, which must lint clean.
const ALLOWED: [string, string][] = [
  ["lib/core/probe.ts", "./units"],
  ["lib/core/probe.ts", "@/lib/core/errors"],
  ["lib/config/probe.ts", "@/lib/core/units"],
  ["lib/aws/probe.ts", "@/lib/config/env"],
  ["lib/aws/probe.ts", "@aws-sdk/client-lambda"],
  ["lib/store/probe.ts", "../core/units"],
  ["lib/store/probe.ts", "kysely"],
  ["lib/store/probe.ts", "pg"],
  ["lib/store/index.ts", "@/lib/config/env"],
  ["lib/collector/probe.ts", "@/lib/aws/lambda"],
  ["lib/collector/probe.ts", "../store/database"],
  ["lib/data/probe.ts", "@/lib/collector/budget"],
  ["lib/data/probe.ts", "../auth/origin"],
  ["lib/auth/probe.ts", "@/lib/store/database"],
  ["lib/url/probe.ts", "@/lib/core/units"],
  ["components/probe.tsx", "@/lib/core/units"],
  ["components/probe.tsx", "@/lib/url/shell"],
  ["components/probe.tsx", "@/lib/config/clock"],
  ["components/ui/probe.test.tsx", "../../test/support/clock-replay"],
  ["app/probe.ts", "@/lib/data/validate"],
  ["app/probe.ts", "@/components/ui/notice"],
  ["sandbox/src/probe.ts", "./server"],
  ["scripts/probe.ts", "../sandbox/src/server"],
  ["test/unit/probe.test.ts", "../../sandbox/src/server"],
];

describe("import boundaries", { timeout: 120_000 }, () => {
  it.each(FORBIDDEN_PATHS)("%s may not import %s (%s)", async (file, specifier) => {
    expect(await rulesBroken(file, importOf(specifier))).toContain(PATHS);
  });

  it.each(FORBIDDEN_PACKAGES)("%s may not import %s (%s)", async (file, specifier) => {
    expect(await rulesBroken(file, importOf(specifier))).toContain(IMPORTS);
  });

  it.each(ALLOWED)("%s may import %s", async (file, specifier) => {
    expect(await rulesBroken(file, importOf(specifier))).toEqual([]);
  });
});

describe("one clock", { timeout: 120_000 }, () => {
  const reading = "export const at = () => Date.now();\n";

  it.each(["lib/data/probe.ts", "lib/store/probe.ts", "lib/collector/probe.ts", "lib/auth/probe.ts"])(
    "%s may not read Date.now",
    async (file) => {
      expect(await rulesBroken(file, reading)).toContain(CLOCK);
    },
  );

  it.each(["app/probe.ts", "components/probe.tsx", "lib/core/probe.ts", "lib/aws/probe.ts"])(
    "%s may not read Date.now",
    async (file) => {
      expect(await rulesBroken(file, reading)).toContain(CLOCK);
    },
  );

  it.each(["lib/data/probe.ts", "components/probe.tsx", "lib/core/probe.ts"])(
    "%s may not read the clock through new Date()",
    async (file) => {
      expect(await rulesBroken(file, "export const at = () => new Date();\n")).toContain(
        "no-restricted-syntax",
      );
    },
  );

  it("new Date(t) of a given instant is no clock reading", async () => {
    expect(await rulesBroken("lib/data/probe.ts", "export const at = (t: number) => new Date(t);\n")).toEqual(
      [],
    );
  });

  it("lib/config/clock.ts is the one place that may", async () => {
    expect(await rulesBroken("lib/config/clock.ts", reading)).toEqual([]);
  });
});

describe("systemClock only in composition roots", { timeout: 120_000 }, () => {
  const named = (specifier: string) =>
    `import { systemClock } from "${specifier}";\nexport const at = () => systemClock.now();\n`;
  const CLOCK_IMPORT = "no-restricted-syntax";

  it.each([
    ["lib/data/telemetry/probe.ts", "@/lib/config/clock", "a lib/data use-case"],
    ["lib/data/telemetry/probe.ts", "../../config/clock", "a lib/data use-case (relative)"],
    ["lib/collector/probe.ts", "@/lib/config/clock", "a collector step"],
    ["components/probe.tsx", "@/lib/config/clock", "a component"],
  ])("%s may not import systemClock from %s (%s)", async (file, specifier) => {
    expect(await rulesBroken(file, named(specifier))).toContain(CLOCK_IMPORT);
  });

  it("nor under another name or through a namespace import", async () => {
    const renamed = `import { systemClock as c } from "@/lib/config/clock";\nexport const at = () => c.now();\n`;
    const namespace = `import * as clock from "@/lib/config/clock";\nexport const at = () => clock.systemClock.now();\n`;
    expect(await rulesBroken("lib/data/probe.ts", renamed)).toContain(CLOCK_IMPORT);
    expect(await rulesBroken("lib/data/probe.ts", namespace)).toContain(CLOCK_IMPORT);
  });

  it("a use-case may still import the Clock type", async () => {
    const typeOnly = `import type { Clock } from "@/lib/config/clock";\nexport const at = (c: Clock) => c.now();\n`;
    expect(await rulesBroken("lib/data/telemetry/probe.ts", typeOnly)).toEqual([]);
  });

  it.each([
    "lib/data/telemetry/deps.ts",
    "lib/data/traces/deps.ts",
    "lib/data/traffic/default-deps.ts",
    "lib/store/index.ts",
    "lib/collector/collector.ts",
    "app/probe/page.tsx",
  ])("the composition root %s may", async (file) => {
    expect((await rulesBroken(file, named("@/lib/config/clock"))).filter((r) => r === CLOCK_IMPORT)).toEqual(
      [],
    );
  });
});
