/** Plan-runner failover over 20 kills of the lease holder: see _failover.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_failover"));
