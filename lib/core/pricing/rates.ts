/**
 * Lambda list prices per region.
 *
 * Source: https://aws.amazon.com/lambda/pricing/ (checked 2026-11-23 against the page's text and its worked
 * examples, all "based on price in US East (N. Virginia)"). Every region below publishes the same rates as
 * us-east-1 for on-demand requests/duration, provisioned concurrency and ephemeral storage (SnapStart's cache and
 * restore rates are us-east-1's, used for every region below: not checked region by region); regions with their
 * own (higher) rates such as af-south-1, ap-east-1, eu-south-1 and me-south-1 are deliberately absent rather than
 * guessed: `ratesFor` refuses them unless the caller opts into a us-east-1 estimate.
 *
 * Rates are USD per unit, kept as the page prints them (10 significant digits) so that the worked examples
 * reproduce to the cent.
 */
import type { Architecture } from "@/lib/core/lambda/types";
import { invalidInput } from "@/lib/core/errors";

/** One tier of on-demand duration pricing: `usdPerGbSecond` applies to usage up to `upToGbSeconds` a month. */
export interface DurationTier {
  upToGbSeconds: number; // Infinity for the last tier
  usdPerGbSecond: number;
}

export interface ArchitectureRates {
  /** On-demand duration tiers, applied to the account's monthly GB-s per architecture and region. */
  duration: readonly DurationTier[];
  /** Provisioned concurrency: per GB-s configured, whether used or not. */
  provisionedPerGbSecond: number;
  /** Duration of invocations served by provisioned concurrency (lower than on-demand). */
  provisionedDurationPerGbSecond: number;
}

export interface RegionRates {
  region: string;
  usdPerRequest: number;
  /** Per GB-s of ephemeral storage configured above the free 512 MB. */
  ephemeralPerGbSecond: number;
  /**
   * SnapStart (Python and .NET runtimes; Java has no cache or restore charge): the snapshot cache per GB-s while
   * a version is active (at least 3 hours), and each restore per GB of memory restored.
   */
  snapStartCachePerGbSecond: number;
  snapStartRestorePerGb: number;
  architectures: Readonly<Record<Architecture, ArchitectureRates>>;
}

/** Tiers: x86 −10% past 6B GB-s and −20% past 15B; arm64 the same steps past 7.5B and 18.75B. */
const STANDARD: Omit<RegionRates, "region"> = {
  usdPerRequest: 0.2 / 1_000_000,
  ephemeralPerGbSecond: 0.0000000309,
  snapStartCachePerGbSecond: 0.0000015046,
  snapStartRestorePerGb: 0.0001397998,
  architectures: {
    x86_64: {
      duration: [
        { upToGbSeconds: 6_000_000_000, usdPerGbSecond: 0.0000166667 },
        { upToGbSeconds: 15_000_000_000, usdPerGbSecond: 0.000015 },
        { upToGbSeconds: Infinity, usdPerGbSecond: 0.0000133334 },
      ],
      provisionedPerGbSecond: 0.0000041667,
      provisionedDurationPerGbSecond: 0.0000097222,
    },
    arm64: {
      duration: [
        { upToGbSeconds: 7_500_000_000, usdPerGbSecond: 0.0000133334 },
        { upToGbSeconds: 18_750_000_000, usdPerGbSecond: 0.0000120001 },
        { upToGbSeconds: Infinity, usdPerGbSecond: 0.0000106667 },
      ],
      provisionedPerGbSecond: 0.0000033334,
      provisionedDurationPerGbSecond: 0.0000077778,
    },
  },
};

const STANDARD_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-south-1",
] as const;

const TABLE: ReadonlyMap<string, RegionRates> = new Map(
  STANDARD_REGIONS.map((region) => [region, { region, ...STANDARD }]),
);

export const pricedRegions = (): string[] => [...TABLE.keys()];

/**
 * What to do for a region missing from the table. "error" (the default) throws InvalidInput so a page shows
 * "no price for this region" instead of a made-up number; "estimate" prices it as us-east-1 and says so.
 */
export type UnknownRegionPolicy = "error" | "estimate";

export interface ResolvedRates {
  rates: RegionRates;
  /** True when the region was not in the table and us-east-1 rates stand in for it. */
  estimated: boolean;
}

export function ratesFor(region: string, policy: UnknownRegionPolicy = "error"): ResolvedRates {
  const rates = TABLE.get(region);
  if (rates) return { rates, estimated: false };
  if (policy === "estimate") return { rates: { ...STANDARD, region }, estimated: true };
  throw invalidInput(`No Lambda price table for region ${region}`, { region, known: pricedRegions() });
}
