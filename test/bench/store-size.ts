/** Bytes per function-day at each resolution, from what the real collector wrote: see _store-size.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_store-size"));
