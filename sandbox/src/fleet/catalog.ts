/** Vocabulary for generated functions: names, runtimes and their typical start-up costs. */

/** Current (non-deprecated) runtimes only: healthy functions must never trip the deprecated-runtime flag. */
export const HEALTHY_RUNTIMES = [
  "nodejs22.x",
  "nodejs24.x",
  "python3.12",
  "python3.13",
  "java21",
  "provided.al2023",
  "ruby3.4",
] as const;

export const HANDLER_BY_FAMILY: Record<string, string> = {
  nodejs: "index.handler",
  python: "app.handler",
  java: "com.example.Handler::handleRequest",
  provided: "bootstrap",
  ruby: "function.handler",
};

/** Median cold-start init duration by runtime family, ms (order of magnitude as commonly measured). */
export const INIT_MS_BY_FAMILY: Record<string, [number, number]> = {
  nodejs: [140, 320],
  python: [180, 450],
  java: [800, 1400],
  provided: [25, 80],
  ruby: [200, 420],
};

/** Rough idle memory of a runtime, MB: memory sizes below this would be unrealistic. */
export const MIN_MEMORY_BY_FAMILY: Record<string, number> = {
  nodejs: 128,
  python: 128,
  java: 512,
  provided: 128,
  ruby: 128,
};

export const runtimeFamily = (runtime: string | null): string =>
  runtime === null ? "provided" : (/^[a-z]+/.exec(runtime)?.[0] ?? "provided");

export const NAME_PREFIXES = [
  "orders",
  "cart",
  "inventory",
  "shipping",
  "billing",
  "catalog",
  "accounts",
  "auth",
  "email",
  "notifications",
  "analytics",
  "events",
  "media",
  "reviews",
  "recommendations",
  "pricing",
  "ledger",
  "fraud",
  "loyalty",
  "coupons",
  "returns",
  "refunds",
  "subscriptions",
  "sessions",
  "ratings",
  "wishlist",
  "tax",
  "fulfillment",
  "warehouse",
  "carrier",
  "tracking",
  "support",
  "tickets",
  "chat",
  "feeds",
  "sitemap",
  "thumbnails",
  "uploads",
  "exports",
  "imports",
  "metering",
  "quotas",
  "webhooks",
  "partners",
  "vendors",
  "contracts",
  "invoices",
  "receipts",
  "geo",
  "currency",
  "translations",
  "content",
  "banners",
  "campaigns",
  "segments",
  "surveys",
  "feature-flags",
  "experiments",
  "audit",
  "compliance",
] as const;

export const NAME_SUFFIXES = [
  "api",
  "worker",
  "consumer",
  "processor",
  "handler",
  "sync",
  "cron",
  "stream",
  "indexer",
  "exporter",
  "importer",
  "scheduler",
  "publisher",
  "aggregator",
  "validator",
  "enricher",
] as const;

export const MEMORY_SIZES = [128, 256, 512, 768, 1024, 1536, 2048] as const;

export const TEAMS = [
  "commerce",
  "platform",
  "growth",
  "payments",
  "data",
  "fulfilment",
  "identity",
] as const;
