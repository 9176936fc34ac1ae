/**
 * The Advisor's trigger reads (lib/data/advisor/sources.ts): the collector's stored listing and async readings
 * replace live calls while fresh, a queue read once is kept, each part fails on its own into MissingEvidence,
 * and every request sent is counted.
 */
import { describe, expect, it } from "vitest";
import type { FunctionMapping } from "@/lib/aws/lambda";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { seconds } from "@/lib/core/units";
import { createCache } from "@/lib/data/cache";
import { MissingBySource } from "@/lib/data/advisor/missing";
import {
  readAsyncConfigs,
  readMappings,
  readQueues,
  sourcesOf,
  type SourcesPorts,
} from "@/lib/data/advisor/sources";
import { STORED_LISTING_MAX_AGE_MS } from "@/lib/data/triggers";
import { config } from "../core/advisor-fixtures";
import { sqsMapping as anSqsMapping } from "@/test/support/event-source-mappings";

const NOW = Date.UTC(2026, 10, 23, 12);
const QUEUE = "arn:aws:sqs:us-east-1:000000000000:jobs";

const sqsMapping = (over: Partial<EventSourceMapping> = {}): EventSourceMapping =>
  anSqsMapping({ uuid: "u1", sourceArn: QUEUE, ...over });
const LISTING: FunctionMapping[] = [
  { functionName: "worker", qualifier: null, mapping: sqsMapping() },
  { functionName: "worker-2", qualifier: "live", mapping: sqsMapping({ uuid: "u2" }) },
  {
    functionName: "paused",
    qualifier: null,
    mapping: sqsMapping({ uuid: "u3", sourceArn: `${QUEUE}-old`, state: "Disabled" }),
  },
];

function ports(calls: string[], over: Partial<SourcesPorts> = {}): SourcesPorts {
  return {
    triggers: {
      listAllEventSourceMappings: () => {
        calls.push("list");
        return Promise.resolve(LISTING);
      },
      getFunctionEventInvokeConfig: (name) => {
        calls.push(`async ${name}`);
        return Promise.resolve(null);
      },
    },
    sqs: {
      queueAttributes: (arn) => {
        calls.push(`queue ${arn}`);
        return Promise.resolve({
          queueArn: arn,
          visibilityTimeout: seconds(45),
          messageRetention: seconds(60),
          redrive: null,
        });
      },
    },
    ...over,
  };
}

describe("trigger reads for the Advisor", () => {
  it("lists once, reads each Enabled queue once (two requests), and keeps it", async () => {
    const calls: string[] = [];
    const p = {
      ...ports(calls),
      queueCache: createCache<{ visibilityTimeout: ReturnType<typeof seconds> }>({
        ttlMs: 60_000,
        maxEntries: 10,
      }),
    };
    const gaps: string[] = [];
    const missing = new MissingBySource();
    const listed = await readMappings(p, gaps, missing);
    expect(listed.requests).toBe(1);
    const first = await readQueues(p, listed.byFunction, gaps, missing);
    expect(first).toEqual({ queues: { [QUEUE]: { visibilityTimeout: 45 } }, requests: 2 });
    const again = await readQueues(p, listed.byFunction, gaps, missing);
    expect(again.requests).toBe(0);
    expect(calls).toEqual(["list", `queue ${QUEUE}`]);
    expect(sourcesOf("worker-2", listed.byFunction, first.queues, new Map())).toEqual({
      mappings: [LISTING[1]!.mapping],
      async: null,
      queues: { [QUEUE]: { visibilityTimeout: 45 } },
    });
    expect(gaps).toEqual([]);
    expect(missing.of("worker")).toBeUndefined();
  });

  it("uses the collector's listing and async readings while fresh, and reads live once they are stale", async () => {
    const calls: string[] = [];
    const fn = config({ name: "thumbs", deadLetterTarget: null });
    const stored = (age: number) => ({
      listing: { mappings: LISTING, listedAt: NOW - age },
      async: new Map([["thumbs", { config: null, readAt: NOW - age }]]),
      now: NOW,
    });
    const missing = new MissingBySource();
    expect((await readMappings(ports(calls), [], missing, stored(60_000))).requests).toBe(0);
    expect((await readAsyncConfigs(ports(calls), [fn], [], missing, stored(60_000))).requests).toBe(0);
    expect(calls).toEqual([]);
    const stale = stored(STORED_LISTING_MAX_AGE_MS + 1);
    expect((await readMappings(ports(calls), [], missing, stale)).requests).toBe(1);
    expect(calls).toEqual(["list"]);
  });

  it("names what failed in the functions' missing evidence, never a zero", async () => {
    const calls: string[] = [];
    const failing = ports(calls, {
      sqs: { queueAttributes: () => Promise.reject(new Error("Access denied")) },
    });
    const gaps: string[] = [];
    const missing = new MissingBySource();
    const listed = await readMappings(failing, gaps, missing);
    const q = await readQueues(failing, listed.byFunction, gaps, missing);
    expect(q.queues).toEqual({ [QUEUE]: null });
    expect(missing.of("worker")?.queues).toMatch(/GetQueueAttributes .*jobs: Access denied/);
    expect(missing.of("paused")).toBeUndefined();
    expect(gaps[0]).toMatch(/1 of 1 queues unread/);

    const none = new MissingBySource();
    await readMappings({}, [], none);
    expect(none.of("worker")?.triggers).toMatch(/not read/);
    await readAsyncConfigs({}, [config({ name: "thumbs" })], [], none);
    expect(none.of("thumbs")?.async).toMatch(/not read/);
  });

  it("keeps the dead-letter queue of the listed configuration when GetFunctionEventInvokeConfig fails", async () => {
    const dlq = "arn:aws:sqs:us-east-1:000000000000:thumbs-dlq";
    const failing = ports([], {
      triggers: {
        ...ports([]).triggers!,
        getFunctionEventInvokeConfig: () => Promise.reject(new Error("Rate exceeded")),
      },
    });
    const gaps: string[] = [];
    const missing = new MissingBySource();
    const read = await readAsyncConfigs(
      failing,
      [config({ name: "thumbs", deadLetterTarget: dlq }), config({ name: "bare", deadLetterTarget: null })],
      gaps,
      missing,
    );
    // The config is unknown (absent), the DLQ is not: it came with the function's configuration.
    expect(read.async.get("thumbs")).toEqual({ deadLetterTarget: dlq });
    expect(read.async.get("bare")).toEqual({ deadLetterTarget: null });
    expect(missing.of("thumbs")?.async).toMatch(/GetFunctionEventInvokeConfig thumbs: Rate exceeded/);
    expect(gaps[0]).toMatch(/2 of 2 functions unread/);
  });
});
