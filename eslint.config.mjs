import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Import boundaries (DESIGN.md "Layers"): data enters through lib/aws, flows through the pure lib/core,
// leaves through lib/data. These rules keep the arrows pointing one way.
const sdk = {
  group: ["@aws-sdk/*", "@smithy/*"],
  message: "Only lib/aws and lib/sandbox talk to the AWS SDK.",
};
const sandbox = {
  group: ["@/lib/sandbox", "@/lib/sandbox/*", "**/sandbox/*"],
  message: "The console reaches the sandbox only through the SDK endpoint.",
};
const framework = {
  group: ["next", "next/*", "react", "react-dom", "react/*", "server-only"],
  message: "lib/core is pure: no framework imports.",
};
const awsLayer = {
  group: ["@/lib/aws", "@/lib/aws/*", "**/aws/*"],
  message: "Components never import lib/aws.",
};
const dataLayer = { group: ["@/lib/data", "@/lib/data/*"], message: "lib/core does not depend on lib/data." };

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", "coverage/**", ".data/**"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["app/**", "components/**", "lib/data/**", "lib/core/**", "lib/config/**", "lib/auth/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [sdk, sandbox] }] },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [sdk, sandbox, awsLayer] }] },
  },
  {
    files: ["lib/aws/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [sandbox] }] },
  },
  {
    files: ["lib/core/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [sdk, sandbox, framework, awsLayer, dataLayer] }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "lib/core reads no environment: pass values in." },
        { object: "Date", property: "now", message: "lib/core takes `now` as an argument." },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "lib/core is pure." }],
    },
  },
  {
    // The collector reads AWS through lib/aws and writes the store; views (lib/data) read what it wrote.
    files: ["lib/collector/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            sdk,
            sandbox,
            { group: ["@/lib/data", "@/lib/data/*"], message: "lib/collector does not depend on lib/data." },
            {
              group: ["next", "next/*", "react", "react/*"],
              message: "lib/collector runs outside Next too.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/store/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            sdk,
            sandbox,
            { group: ["@/lib/aws", "@/lib/aws/*"], message: "The store holds domain types, never AWS's." },
            {
              group: ["@/lib/data", "@/lib/data/*", "@/lib/collector", "@/lib/collector/*"],
              message: "The store depends on nothing above it.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/sandbox/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/core", "@/lib/core/*", "@/lib/aws", "@/lib/aws/*", "@/lib/data", "@/lib/data/*"],
              message: "The sandbox shares no code with the console: it is an independent implementation.",
            },
          ],
        },
      ],
    },
  },
]);
