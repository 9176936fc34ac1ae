/**
 * Lambda quotas the advisor measures functions against.
 * Source: "Lambda quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (checked
 * 2026-11-23). Sizes are binary (1 MB = 1024 KB = 1,048,576 bytes), as Lambda counts them.
 */
import { type Bytes, type Mb, type Seconds, bytes, mb, seconds } from "@/lib/core/units";

export interface Limit<T> {
  value: T;
  cite: string;
}

const QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
const MiB = 1024 * 1024;

export const LIMITS = {
  memoryMin: { value: mb(128), cite: `${QUOTAS} (Function memory allocation: 128 MB to 10,240 MB)` },
  memoryMax: { value: mb(10_240), cite: `${QUOTAS} (Function memory allocation: 128 MB to 10,240 MB)` },
  timeoutMax: { value: seconds(900), cite: `${QUOTAS} (Function timeout: 900 seconds (15 minutes))` },
  envVarsSize: { value: bytes(4 * 1024), cite: `${QUOTAS} (Function environment variables: 4 KB, total)` },
  zippedPackage: {
    value: bytes(50 * MiB),
    cite: `${QUOTAS} (Deployment package (.zip file archive) size: 50 MB zipped, for direct upload)`,
  },
  unzippedPackage: {
    value: bytes(250 * MiB),
    cite: `${QUOTAS} (250 MB unzipped: the maximum size of the contents of a deployment package, including layers)`,
  },
  ephemeralMin: { value: mb(512), cite: `${QUOTAS} (/tmp directory storage: between 512 MB and 10,240 MB)` },
  ephemeralMax: {
    value: mb(10_240),
    cite: `${QUOTAS} (/tmp directory storage: between 512 MB and 10,240 MB)`,
  },
  codeStorage: {
    value: bytes(75 * 1024 * MiB),
    cite: `${QUOTAS} (Storage for uploaded functions (.zip file archives) and layers: 75 GB per Region)`,
  },
  accountConcurrency: {
    value: 1_000,
    cite: `${QUOTAS} (Concurrent executions: 1,000 by default per Region; GetAccountSettings reports the actual)`,
  },
  /** Lambda keeps at least this much of the account pool unreserved. */
  unreservedMinimum: {
    value: 100,
    cite: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html (100 units stay unreserved)",
  },
} as const satisfies Record<string, Limit<Mb | Seconds | Bytes | number>>;

/** The memory size at which a function gets the equivalent of one full vCPU; CPU scales linearly with memory. */
export const ONE_VCPU_MEMORY: Limit<Mb> = {
  value: mb(1_769),
  cite: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html (1,769 MB = one vCPU)",
};
