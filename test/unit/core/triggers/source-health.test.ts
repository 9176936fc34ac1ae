import { describe, expect, it } from "vitest";
import {
  compareTrouble,
  judgeAsync,
  judgeMapping,
  type SourceBucket,
  type SourceJudgement,
} from "@/lib/core/triggers/source-health";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { streamMapping } from "@/test/support/event-source-mappings";

const mapping = (m: Partial<EventSourceMapping> = {}): EventSourceMapping =>
  streamMapping({ sourceArn: "arn:aws:kinesis:us-east-1:1:stream/clicks", ...m });

const queue = (m: Partial<EventSourceMapping> = {}) =>
  mapping({
    sourceArn: "arn:aws:sqs:us-east-1:1:jobs",
    kind: "sqs",
    lastProcessingResult: null,
    startingPosition: null,
    ...m,
  });

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
/** One bucket a minute for three hours, IteratorAge from `ageAt(minute)`. */
const series = (
  ageAt: (i: number) => number | null,
  dropsAt: (i: number) => number = () => 0,
): SourceBucket[] =>
  Array.from({ length: 180 }, (_, i) => ({
    t: T0 + i * MIN,
    iteratorAgeMaxMs: ageAt(i),
    asyncDropped: dropsAt(i),
  }));

// Deterministic jitter so "noise" is reproducible.
const jitter = (i: number) => ((i * 7919) % 100) / 100;

describe("judgeMapping", () => {
  it("calls a lag rising 48 min/hour to hours behind 'falling behind', with its slope and latest age", () => {
    const j = judgeMapping(
      mapping(),
      series((i) => (2.4 * 60 + (i * 48) / 60) * MIN + jitter(i) * 500),
    );
    expect(j.health).toBe("falling behind");
    expect(j.slopeMinPerHour).toBeCloseTo(48, 0);
    expect(j.latestIteratorAgeMs).toBeGreaterThan(4.7 * 60 * MIN);
    expect(j.evidence).toMatch(/rising 48m 0s\/hour over the last 2h 59m \(180 points\), now 4h 47m behind/);
  });

  it("does not call a flat but high lag 'falling behind': no trend, only a high level", () => {
    const j = judgeMapping(
      mapping(),
      series((i) => 3 * 60 * MIN + jitter(i) * 30_000),
    );
    expect(j.health).toBe("ok");
    expect(Math.abs(j.slopeMinPerHour!)).toBeLessThan(1);
    expect(j.evidence).toMatch(/now 3h 0m, peak 3h 0m, trend .*: not falling behind/);
  });

  it("does not let spikes in a healthy stream make a trend", () => {
    const j = judgeMapping(
      mapping(),
      series((i) => (i % 37 === 5 ? 2 * 60 * MIN : 300 + jitter(i) * 200)),
    );
    expect(j.health).toBe("ok");
    expect(j.latestIteratorAgeMs).toBeLessThan(1000);
  });

  it("needs the latest age high too: a lag growing from 0 to 2 minutes is not yet a backlog", () => {
    const j = judgeMapping(
      mapping(),
      series((i) => (i / 180) * 2 * MIN),
    );
    expect(j.slopeMinPerHour).toBeGreaterThan(0.5);
    expect(j.health).toBe("ok");
  });

  it("uses the Advisor's thresholds: 5 min/h is not falling behind, and an hour is too short to tell", () => {
    const slow = judgeMapping(
      mapping(),
      series((i) => (60 + (i * 5) / 60) * MIN),
    );
    expect(slow.health).toBe("ok");
    expect(slow.slopeMinPerHour).toBeCloseTo(5, 1);
    const hour = judgeMapping(mapping(), series((i) => (60 + (i * 48) / 60) * MIN).slice(-60));
    expect(hour.health).toBe("ok");
    expect(hour.evidence).toMatch(/too short to judge \(2 h needed\)/);
  });

  it("says 'unknown' for an enabled mapping whose function has no stored bucket, never 'ok'", () => {
    expect(judgeMapping(mapping(), []).health).toBe("unknown");
    expect(judgeMapping(queue(), []).health).toBe("unknown");
    expect(judgeMapping(queue(), []).evidence).toMatch(/Not collected/);
  });

  it("judges state before data: a user-disabled mapping is 'disabled', one Lambda disabled is 'failed'", () => {
    const disabled = judgeMapping(queue({ state: "Disabled" }), []);
    expect(disabled.health).toBe("disabled");
    expect(disabled.evidence).toBe("Disabled (USER_INITIATED): nothing is read from jobs.");
    const byLambda = judgeMapping(
      queue({ state: "Disabled", stateReason: "PROBLEM: Function not found" }),
      [],
    );
    expect(byLambda.health).toBe("failed");
    expect(
      judgeMapping(
        mapping({ lastProcessingResult: "PROBLEM: Lambda is throttled" }),
        series(() => 1),
      ).health,
    ).toBe("failed");
  });

  it("reads a stream's 'User action' as a user's doing, like a queue's USER_INITIATED", () => {
    const stream = judgeMapping(mapping({ state: "Disabled", stateReason: "User action" }), []);
    expect(stream.health).toBe("disabled");
    expect(stream.evidence).toBe("Disabled (User action): nothing is read from clicks.");
  });

  it("calls an enabled queue mapping with data 'ok' (queues publish no IteratorAge)", () => {
    const j = judgeMapping(
      queue(),
      series(() => null),
    );
    expect(j.health).toBe("ok");
    expect(j.latestIteratorAgeMs).toBeNull();
  });
});

describe("judgeAsync", () => {
  it("calls any drop in the range 'dropping events' and says whether a dead-letter queue exists", () => {
    const j = judgeAsync(
      { deadLetterTarget: null },
      series(
        () => null,
        (i) => (i % 10 === 0 ? 3 : 0),
      ),
    );
    expect(j.health).toBe("dropping events");
    expect(j.dropped).toBe(54);
    expect(j.evidence).toBe("54 async events dropped in the range; no dead-letter queue.");
    const withDlq = judgeAsync(
      { deadLetterTarget: "arn:aws:sqs:us-east-1:1:dlq" },
      series(
        () => null,
        () => 1,
      ),
    );
    expect(withDlq.health).toBe("dropping events");
    expect(withDlq.evidence).toMatch(/dead-letter queue arn:aws:sqs:us-east-1:1:dlq/);
  });

  it("is 'ok' with buckets and no drops, 'unknown' without buckets", () => {
    expect(
      judgeAsync(
        {},
        series(() => null),
      ).health,
    ).toBe("ok");
    expect(judgeAsync({}, []).health).toBe("unknown");
    expect(judgeAsync({}, []).dropped).toBeNull();
  });

  it("calls lost deliveries 'failing to deliver', and never counts unreported failures as zero", () => {
    const buckets = series(() => null).map((b, i) => ({
      ...b,
      deliveryFailures: i === 7 ? 4 : i < 60 ? 0 : null,
    }));
    const j = judgeAsync({ deadLetterTarget: "arn:aws:sqs:us-east-1:1:dlq" }, buckets);
    expect(j.health).toBe("failing to deliver");
    expect(j.evidence).toBe(
      "4 async events failed to reach the on-failure destination or dead-letter queue in the range; dead-letter queue arn:aws:sqs:us-east-1:1:dlq.",
    );
    const dropping = judgeAsync(
      {},
      buckets.map((b, i) => ({ ...b, asyncDropped: i === 9 ? 2 : 0 })),
    );
    expect(dropping.health).toBe("dropping events");
    expect(dropping.evidence).toBe(
      "2 async events dropped in the range; 4 failed to reach the destination or dead-letter queue.",
    );
    const unreported = judgeAsync(
      {},
      series(() => null),
    );
    expect(unreported.health).toBe("ok");
    expect(unreported.evidence).not.toMatch(/failed to reach/);
  });
});

describe("compareTrouble", () => {
  it("puts failed, falling behind, disabled, dropping, unknown, ok in that order, faster lag first", () => {
    const j = (health: SourceJudgement["health"], slope: number | null = null): SourceJudgement => ({
      health,
      evidence: "",
      latestIteratorAgeMs: null,
      slopeMinPerHour: slope,
      dropped: null,
    });
    const sorted = [
      j("ok"),
      j("unknown"),
      j("dropping events"),
      j("falling behind", 5),
      j("disabled"),
      j("failed"),
      j("falling behind", 40),
    ]
      .sort(compareTrouble)
      .map((x) => `${x.health}${x.slopeMinPerHour ?? ""}`);
    expect(sorted).toEqual([
      "failed",
      "falling behind40",
      "falling behind5",
      "disabled",
      "dropping events",
      "unknown",
      "ok",
    ]);
  });
});
