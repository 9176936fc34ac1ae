/** AWS requests of one fleet-overview refresh vs one request per function per metric: see _overview-requests.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_overview-requests"));
