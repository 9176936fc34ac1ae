/** AWS requests per collected minute of each of 3 accounts against one account alone: see _collector-accounts.ts. */
import { runUnderServerConditions } from "./_server-conditions";

runUnderServerConditions(__filename, () => import("./_collector-accounts").then((m) => m.default()));
