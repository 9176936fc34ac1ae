/**
 * The configurations of the published versions that served traffic, for the per-version runtime check (an
 * alias can keep routing to a version whose runtime $LATEST has long left).
 *
 * Invariants:
 * - A published version never changes, so each configuration is read once and kept (version-configs.ts).
 * - Budget: a run reads at most `pagesPerRun(functions)` requests' worth — as many as listing the fleet's
 *   $LATEST once (at least MIN_REQUESTS) — so a run never costs much more than the fleet overview. A few
 *   unknown versions get one GetFunctionConfiguration each; many get ListFunctions(FunctionVersion=ALL) pages
 *   (50 versions a page), resumed from the stored marker on the next run until every one is known.
 * - A version the listing does not have after a full pass (deleted, its metrics outliving it) is not sought
 *   again for a day; what is still unread is said in the region's gaps, never guessed.
 */
import { parseAccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import type { LambdaPort } from "@/lib/aws/lambda";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { toOutcomeError } from "@/lib/core/errors";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { VersionConfigStore } from "@/lib/store/version-configs";

const MIN_REQUESTS = 10;
const FAN_OUT = 6;
const ABSENT_FOR_MS = 86_400_000;

/** Requests a run may spend on the inventory: the $LATEST listing's page count, at least MIN_REQUESTS. */
export const pagesPerRun = (functions: number) => Math.max(MIN_REQUESTS, Math.ceil(functions / 50));

/** Qualified ARNs a full listing did not have, with when that was found. */
const absent = new Map<string, number>();

export interface LiveVersions {
  known: Map<string, FunctionConfig>;
  /** Live versions whose configuration is not known yet (the inventory continues next run). */
  unread: number;
  /** Their ARNs, so each function can say which of its versions were not judged. */
  unreadArns: string[];
  gaps: string[];
}

/** The account-region of `arn:aws:lambda:<region>:<account>:function:…`: what a version inventory covers. */
function scopeOf(arn: string): Scope {
  const [, , , region = "", account = ""] = arn.split(":");
  return { account: parseAccountId(account), region };
}

/** The only Lambda calls the inventory makes (the store path counts them as the view's AWS cost). */
export type VersionInventoryPort = Pick<LambdaPort, "getFunctionConfiguration" | "listFunctionsPage">;

/** The port with each call counted: every one is a single AWS request (retries inside the SDK aside). */
export function countingVersionPort(lambda: VersionInventoryPort): {
  port: VersionInventoryPort;
  requests: () => number;
} {
  let n = 0;
  return {
    port: {
      getFunctionConfiguration(name, qualifier) {
        n++;
        return lambda.getFunctionConfiguration(name, qualifier);
      },
      listFunctionsPage(options) {
        n++;
        return lambda.listFunctionsPage(options);
      },
    },
    requests: () => n,
  };
}

export async function readLiveVersions(
  lambda: VersionInventoryPort,
  store: VersionConfigStore,
  functionCount: number,
  liveArns: readonly string[],
  now: number,
): Promise<LiveVersions> {
  const gaps: string[] = [];
  const known = await store.get(liveArns, now);
  const wanted = new Set(
    liveArns.filter((arn) => !known.has(arn) && (absent.get(arn) ?? -Infinity) <= now - ABSENT_FOR_MS),
  );
  const budget = pagesPerRun(functionCount);
  const found = async (configs: readonly FunctionConfig[]) => {
    await store.put(configs, now);
    for (const c of configs) {
      if (wanted.delete(c.arn)) known.set(c.arn, c);
    }
  };

  if (wanted.size > 0 && wanted.size <= budget) {
    const read = await mapWithConcurrency([...wanted], FAN_OUT, async (arn) => {
      const [name = "", version = ""] = arn.split(":").slice(-2);
      try {
        return await lambda.getFunctionConfiguration(name, version);
      } catch (e) {
        const err = toOutcomeError(e);
        if (err.code === "NotFound") {
          absent.set(arn, now);
          wanted.delete(arn);
        } else gaps.push(`GetFunctionConfiguration ${name}:${version}: ${err.message}`);
        return null;
      }
    });
    await found(read.filter((c): c is FunctionConfig => c !== null));
  } else if (wanted.size > 0) {
    const scope = scopeOf([...wanted][0]!);
    const resumed = await store.cursor(scope, now);
    let marker = resumed ?? undefined;
    let completedPass = false;
    try {
      for (let page = 0; page < budget && wanted.size > 0; page++) {
        const r = await lambda.listFunctionsPage({ allVersions: true, marker });
        await found(r.functions.filter((c) => c.version !== "$LATEST"));
        marker = r.nextMarker ?? undefined;
        if (marker === undefined) {
          completedPass = resumed === null;
          break;
        }
      }
      await store.setCursor(scope, wanted.size > 0 ? (marker ?? null) : null, now);
    } catch (e) {
      // A stale marker, throttling past retries…: start over next run.
      await store.setCursor(scope, null, now);
      gaps.push(`ListFunctions (all versions): ${toOutcomeError(e).message}`);
    }
    if (completedPass) {
      for (const arn of wanted) absent.set(arn, now);
      wanted.clear();
    }
  }
  if (wanted.size > 0) {
    gaps.push(
      `runtimes of ${wanted.size} of ${liveArns.length} published versions not read yet; ` +
        `the inventory continues next run (${budget} requests a run)`,
    );
  }
  return { known, unread: wanted.size, unreadArns: [...wanted], gaps };
}
