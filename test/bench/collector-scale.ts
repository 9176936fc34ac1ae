/** The collector at F = 5,000 in steady state on the real clock (requests, CPU, memory) vs F = 500: see _collector-scale.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_collector-scale"));
