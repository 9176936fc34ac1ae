/** Server time of the store-backed fleet overview at F = 1,000 and 5,000 vs the live path: see _store-overview.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_store-overview"));
