/** 2 replicas × 50 viewers of the fleet page vs 1 viewer on 1 replica: AWS requests and page time; see _replica-viewers.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_replica-viewers"));
