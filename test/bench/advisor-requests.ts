/** AWS requests of one whole-fleet Advisor run vs one fleet-overview refresh: see _advisor-requests.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_advisor-requests"));
