/** Memory sizing shared by the memory rules. */
import { LIMITS } from "@/lib/core/limits";
import { type Mb, mb } from "@/lib/core/units";

/** `used × headroom` rounded up to a `stepMb` multiple, within Lambda's 128–10,240 MB. */
export function recommendMemory(used: Mb, headroom: number, stepMb: number): Mb {
  const raw = Math.ceil((used * headroom) / stepMb - 1e-9) * stepMb;
  return mb(Math.min(LIMITS.memoryMax.value, Math.max(LIMITS.memoryMin.value, raw)));
}
