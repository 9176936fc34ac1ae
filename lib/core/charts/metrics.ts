/**
 * How each AWS/Lambda metric is charted: its kind (what a missing point means) and unit. One table, so a page
 * cannot chart Duration with zero-filled gaps or a count as a gauge.
 * Metric list: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
import type { SeriesKind } from "./series";

/** `microUsd` values are MicroUsd (lib/core/units), so sums of tiny prices stay exact. */
export type ChartUnit = "count" | "ms" | "minutes" | "hours" | "ratio" | "mb" | "microUsd";

export const LAMBDA_METRICS = {
  Invocations: { kind: "count", unit: "count", stat: "Sum" },
  Errors: { kind: "count", unit: "count", stat: "Sum" },
  Throttles: { kind: "count", unit: "count", stat: "Sum" },
  DeadLetterErrors: { kind: "count", unit: "count", stat: "Sum" },
  DestinationDeliveryFailures: { kind: "count", unit: "count", stat: "Sum" },
  AsyncEventsReceived: { kind: "count", unit: "count", stat: "Sum" },
  AsyncEventsDropped: { kind: "count", unit: "count", stat: "Sum" },
  RecursiveInvocationsDropped: { kind: "count", unit: "count", stat: "Sum" },
  // Event source mapping metrics (dimension EventSourceMappingUUID, only with MetricsConfig EventCount).
  PolledEventCount: { kind: "count", unit: "count", stat: "Sum" },
  InvokedEventCount: { kind: "count", unit: "count", stat: "Sum" },
  FilteredOutEventCount: { kind: "count", unit: "count", stat: "Sum" },
  FailedInvokeEventCount: { kind: "count", unit: "count", stat: "Sum" },
  DroppedEventCount: { kind: "count", unit: "count", stat: "Sum" },
  OnFailureDestinationDeliveredEventCount: { kind: "count", unit: "count", stat: "Sum" },
  ProvisionedConcurrencySpilloverInvocations: { kind: "count", unit: "count", stat: "Sum" },
  Duration: { kind: "gauge", unit: "ms", stat: "Average" },
  IteratorAge: { kind: "gauge", unit: "ms", stat: "Maximum" },
  AsyncEventAge: { kind: "gauge", unit: "ms", stat: "Maximum" },
  // Kafka sources: records between the topic's newest offset and the consumer group's.
  OffsetLag: { kind: "gauge", unit: "count", stat: "Maximum" },
  ConcurrentExecutions: { kind: "gauge", unit: "count", stat: "Maximum" },
  UnreservedConcurrentExecutions: { kind: "gauge", unit: "count", stat: "Maximum" },
  ClaimedAccountConcurrency: { kind: "gauge", unit: "count", stat: "Maximum" },
  ProvisionedConcurrentExecutions: { kind: "gauge", unit: "count", stat: "Maximum" },
  // Not emitted while idle: a missing point is unknown, not 0% (DESIGN.md).
  ProvisionedConcurrencyUtilization: { kind: "gauge", unit: "ratio", stat: "Maximum" },
} as const satisfies Record<string, { kind: SeriesKind; unit: ChartUnit; stat: string }>;

export type LambdaMetricName = keyof typeof LAMBDA_METRICS;

/** The suffix an axis or tooltip shows for a unit. */
export const UNIT_LABEL: Readonly<Record<ChartUnit, string>> = {
  count: "",
  ms: "ms",
  minutes: "min",
  hours: "h",
  ratio: "%",
  mb: "MB",
  microUsd: "USD",
};
