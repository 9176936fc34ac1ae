/** AWS requests and time of the request page for a narrowed link (region, fn, at) vs a bare request id. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_request-narrowing"));
