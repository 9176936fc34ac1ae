/** GetFunctionRecursionConfig: Terminate (AWS's default) unless the function allows recursive loops. */
import { jsonResponse } from "../protocol/errors";
import { unqualifiedTarget, type Route } from "./call";

export const RECURSION_CONFIG_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/2024-08-31\/functions\/([^/]+)\/recursion-config\/?$/,
    operation: "GetFunctionRecursionConfig",
    run: (c) => jsonResponse(200, { RecursiveLoop: unqualifiedTarget(c).recursiveLoop ?? "Terminate" }),
  },
];
