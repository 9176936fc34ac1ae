/**
 * Where the advisor's thresholds come from: FLEETSCOPE_ADVISOR_THRESHOLDS (inline JSON, or a path to a JSON
 * file), then individual FLEETSCOPE_ADVISOR__SECTION__FIELD variables on top. Pure: the environment and the
 * file reader are passed in, so the server, the CLI and tests resolve them the same way.
 */
import { parseThresholds, type Thresholds } from "@/lib/core/advisor";
import { invalidInput } from "@/lib/core/errors";

export const THRESHOLDS_VARIABLE = "FLEETSCOPE_ADVISOR_THRESHOLDS";
const FIELD_VARIABLE = /^FLEETSCOPE_ADVISOR__/;

type Nested = Record<string, Record<string, unknown>>;

function parseJson(text: string, where: string): Nested {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return value as Nested;
  } catch (e) {
    throw invalidInput(`${where} is not a JSON object: ${(e as Error).message}`);
  }
}

/** The thresholds for this environment; InvalidInput names the bad file, key or value. */
export function resolveThresholds(
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string,
): Thresholds {
  const source = env[THRESHOLDS_VARIABLE]?.trim();
  let nested: Nested = {};
  if (source) {
    nested = source.startsWith("{")
      ? parseJson(source, THRESHOLDS_VARIABLE)
      : parseJson(readThresholdsFile(source, readFile), source);
  }
  // Single-field variables override the file, each validated by name.
  const flat = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => FIELD_VARIABLE.test(k) && v !== undefined),
  );
  if (Object.keys(flat).length > 0) {
    const fromVars = parseThresholds(flat);
    for (const key of Object.keys(flat)) {
      const [, section = "", field = ""] = key.split("__");
      const s = Object.keys(fromVars).find((x) => norm(x) === norm(section)) as keyof Thresholds;
      const f = Object.keys(fromVars[s]).find((x) => norm(x) === norm(field)) as string;
      nested[s] = { ...nested[s], [f]: (fromVars[s] as Record<string, unknown>)[f] };
    }
  }
  return parseThresholds(nested);
}

const norm = (s: string) => s.replace(/[_-]/g, "").toLowerCase();

function readThresholdsFile(path: string, readFile: (path: string) => string): string {
  try {
    return readFile(path);
  } catch (e) {
    throw invalidInput(`${THRESHOLDS_VARIABLE}: cannot read ${path}: ${(e as Error).message}`);
  }
}
