/** The console's own processing share of one overview refresh at F = 1,000: see _overview-processing.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_overview-processing"));
