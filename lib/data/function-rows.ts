/**
 * The Functions table's row: one function's configuration with its versions and aliases, and how an alias's
 * routing reads. Search and sort are the shared data table's (components/ui/data-table); the URL keys are in
 * lib/url/functions.ts.
 */
import { formatWeight } from "@/lib/core/format";
import type { Alias } from "@/lib/core/lambda/types";
import { ratio } from "@/lib/core/units";

/** One row of the fleet listing: a function's $LATEST configuration plus its versions and aliases. */
export interface FleetFunction {
  /** Its account (12 digits): account, region and name together name a function. */
  account: string;
  /** The account's Organizations name, when known. */
  accountName: string | null;
  region: string;
  name: string;
  description: string;
  runtime: string | null;
  packageType: "Zip" | "Image";
  architecture: "x86_64" | "arm64";
  memoryMb: number;
  timeoutSeconds: number;
  codeSizeBytes: number;
  lastModified: number;
  /** Published versions ($LATEST excluded). */
  versionsCount: number;
  /** null when the aliases could not be loaded (the row still shows). */
  aliases: Alias[] | null;
}

/**
 * `live → 7 (70%) / 8 (30%)`, or `live → 7` without routing. Weights read as on the function page (formatWeight,
 * exact to 0.01 %), so a 12.35 % canary is not 12.4 % here and 12.35 % there.
 */
export function formatAliasRouting(alias: Alias): string {
  if (!alias.routing) return `${alias.name} → ${alias.functionVersion}`;
  const { weight, additionalVersion } = alias.routing;
  const primary = formatWeight(ratio(1 - weight));
  return `${alias.name} → ${alias.functionVersion} (${primary}) / ${additionalVersion} (${formatWeight(weight)})`;
}
