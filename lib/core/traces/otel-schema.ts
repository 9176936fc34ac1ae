/**
 * zod schema of one OpenTelemetry span document, as Transaction Search writes it to `aws/spans` and
 * ListRetrievedTraces (TraceFormat OTEL) returns it. Untrusted JSON: every field the console reads is checked
 * here; unknown fields are ignored, unknown attributes are kept (as values) for the span details.
 *
 * Invariants: ids are lowercase hex of OTel's lengths (trace 32, span 16) and not all zeros (OTel's invalid id);
 * `*UnixNano` fields are accepted as JSON numbers or decimal strings and read as whole microseconds (the grid
 * X-Ray times live on), exactly from a string even past 2^53, under a name that says so: the document's
 * `startTimeUnixNano` / `endTimeUnixNano` / `timeUnixNano` are read as `startUs` / `endUs` / `timeUs`.
 */
import { z } from "zod";

const hex = (length: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${length}}$`))
    .refine((s) => !/^0+$/.test(s), "an all-zero id is OTel's invalid id")
    .transform((s) => s.toLowerCase());

export const traceIdSchema = hex(32);
export const spanIdSchema = hex(16);

/** Nanoseconds since the epoch → whole microseconds; a number or a decimal string of at most 20 digits. */
export const unixNanoToMicrosSchema = z
  .union([
    z
      .number()
      .finite()
      .nonnegative()
      .transform((n) => Math.round(n / 1000)),
    z
      .string()
      .regex(/^\d{1,20}$/)
      .transform((s) => Number(BigInt(s) / 1000n)),
  ])
  .refine(
    // Past year 9999 is a broken clock, not a time the waterfall can place.
    (us) => Number.isSafeInteger(us) && us <= 253_402_300_799_000_000,
    "time out of range",
  );

/** Attributes: any JSON object; values are read by the mapper with typed accessors. */
const attributes = z.record(z.string(), z.unknown());

const kind = z
  .string()
  .transform((k) => k.replace(/^SPAN_KIND_/, "").toUpperCase())
  .pipe(z.enum(["SERVER", "CLIENT", "INTERNAL", "PRODUCER", "CONSUMER", "UNSPECIFIED"]));

const statusCode = z.union([
  z
    .string()
    .transform((c) => c.replace(/^STATUS_CODE_/, "").toUpperCase())
    .pipe(z.enum(["UNSET", "OK", "ERROR"])),
  // The OTLP enum's numbers: 0 unset, 1 ok, 2 error.
  z
    .number()
    .int()
    .min(0)
    .max(2)
    .transform((n) => (["UNSET", "OK", "ERROR"] as const)[n] as "UNSET" | "OK" | "ERROR"),
]);

export const otelEventSchema = z
  .object({
    name: z.string().max(1_000),
    timeUnixNano: unixNanoToMicrosSchema.optional(),
    attributes: attributes.optional(),
  })
  .transform(({ timeUnixNano, ...rest }) => ({ ...rest, timeUs: timeUnixNano }));

/** The fields that decide whether a span can be shown at all: without them it is dropped. */
export const otelSpanCoreSchema = z
  .object({
    traceId: traceIdSchema,
    spanId: spanIdSchema,
    name: z.string().max(1_000),
    startTimeUnixNano: unixNanoToMicrosSchema,
  })
  .transform(({ startTimeUnixNano, ...rest }) => ({ ...rest, startUs: startTimeUnixNano }));

/** Each optional field on its own, so one bad field drops that field, not the span. */
export const otelSpanOptionalSchemas = {
  parentSpanId: spanIdSchema,
  kind,
  endTimeUnixNano: unixNanoToMicrosSchema,
  attributes,
  events: z.array(z.unknown()).max(10_000),
  status: z.object({ code: statusCode.optional(), message: z.string().max(10_000).optional() }),
  resource: z.object({ attributes: attributes.optional() }),
  scope: z.object({ name: z.string().max(1_000).optional(), version: z.string().max(200).optional() }),
} as const;

export type OtelEvent = z.infer<typeof otelEventSchema>;
export type OtelSpanCore = z.infer<typeof otelSpanCoreSchema>;
/** A document field read under another name: its value is no longer what the field's name says. */
const READ_AS = { endTimeUnixNano: "endUs" } as const;
type OptionalField = keyof typeof otelSpanOptionalSchemas;
type ReadName<K extends OptionalField> = K extends keyof typeof READ_AS ? (typeof READ_AS)[K] : K;

/** The name an optional document field is read under (`endTimeUnixNano` → `endUs`, microseconds). */
export const readNameOf = <K extends OptionalField>(field: K): ReadName<K> =>
  (Object.hasOwn(READ_AS, field) ? READ_AS[field as keyof typeof READ_AS] : field) as ReadName<K>;

export type OtelSpanOptional = {
  [K in OptionalField as ReadName<K>]?: z.infer<(typeof otelSpanOptionalSchemas)[K]>;
};
export type OtelAttributes = Record<string, unknown>;
