/** AWS requests and Insights bytes per hour of the collector at F = 1,000, and what views add: see _collector-cost.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_collector-cost"));
