/** The process's validated environment, parsed on first use and then fixed for the life of the server. */
import "server-only";
import { parseEnv, type Env } from "./env-schema";

export type { AccountsConfig, Env } from "./env-schema";

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
