/** Requests and simulated time the collector spends reading every function's triggers: see _triggers-inventory.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_triggers-inventory"));
