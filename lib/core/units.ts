/**
 * Units as types (after jaeger-ui `types/units.ts`): a number that is a duration in milliseconds cannot be
 * passed where megabytes are expected without an explicit, visible conversion.
 */
declare const brand: unique symbol;
type Unit<T extends string> = number & { readonly [brand]: T };

export type Ms = Unit<"Ms">;
export type Seconds = Unit<"Seconds">;
export type Mb = Unit<"Mb">;
export type Bytes = Unit<"Bytes">;
export type GbSeconds = Unit<"GbSeconds">;
/** Money in millionths of a US dollar, so sums of tiny per-request prices stay exact integers. */
export type MicroUsd = Unit<"MicroUsd">;
/** A fraction in [0, 1]. */
export type Ratio = Unit<"Ratio">;
/** Epoch milliseconds. */
export type EpochMs = Unit<"EpochMs">;

export const ms = (n: number) => n as Ms;
export const seconds = (n: number) => n as Seconds;
export const mb = (n: number) => n as Mb;
export const bytes = (n: number) => n as Bytes;
export const gbSeconds = (n: number) => n as GbSeconds;
export const microUsd = (n: number) => n as MicroUsd;
export const ratio = (n: number) => n as Ratio;
export const epochMs = (n: number) => n as EpochMs;

export const secondsToMs = (s: Seconds) => ms(s * 1000);
export const msToSeconds = (m: Ms) => seconds(m / 1000);
/** Lambda and CloudWatch Logs Insights use binary megabytes (MiB). */
export const bytesToMb = (b: Bytes) => mb(b / (1024 * 1024));
export const mbToBytes = (m: Mb) => bytes(m * 1024 * 1024);
export const usdToMicro = (usd: number) => microUsd(Math.round(usd * 1_000_000));
export const microToUsd = (m: MicroUsd) => m / 1_000_000;
