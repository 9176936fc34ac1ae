/**
 * `npm run sandbox -- --port 4566 --seed 7 --functions 40 --regions us-east-1,eu-west-1
 *   --throttle-rate monitoring=0.2 --latency-ms logs=150 --error-rate xray=0.05 --max-concurrent-queries 100
 *   --accounts 3 --deny-role-in 2 --monitoring`
 * Starts the sandbox in the foreground; SIGINT/SIGTERM close it cleanly.
 */
import { z } from "zod";
import { resolveAccounts, type SandboxAccountSpec } from "./accounts/spec";
import { FaultConfigSchema, type FaultConfig } from "./faults";
import { startSandbox, type SandboxOptions } from "./server";

export class UsageError extends Error {}

const SERVICES = ["lambda", "monitoring", "logs", "xray", "sqs"] as const;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

const USAGE = `Usage: npm run sandbox -- [options]
  --port N               port to listen on (default 4566; 0 = ephemeral)
  --host H               interface (default 127.0.0.1)
  --seed N               fleet seed (default 7)
  --functions N          functions per region (default 40)
  --regions a,b          regions (default us-east-1,eu-west-1)
  --throttle-rate S=R    throttle share of service S (lambda|monitoring|logs|xray|sqs), R in [0,1]; repeatable
  --error-rate S=R       5xx share of service S; repeatable
  --latency-ms S=MS      added latency for service S; repeatable
  --max-concurrent-queries N
                         Logs Insights queries running at once per region (default 100, AWS's quota)
  --accounts N           simulate an organization of N accounts (1-20): index 0 "management", then
                         "member-1"…; each has its own fleet and the roles fleetscope and
                         OrganizationAccountAccessRole (without it: one account, no organization)
  --deny-role-in I[,J]   account indices whose fleetscope role refuses AssumeRole (AccessDenied)
  --monitoring           account 0 is a CloudWatch cross-account (OAM) monitoring account for all the others`;

const Args = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4566),
  host: z.string().min(1).default("127.0.0.1"),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(7),
  functions: z.coerce.number().int().min(1).max(10_000).default(40),
  regions: z
    .string()
    .default("us-east-1,eu-west-1")
    .transform((s) =>
      s
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(REGION, "not a region name like us-east-1")).min(1)),
  "max-concurrent-queries": z.coerce.number().int().min(1).max(10_000).optional(),
  accounts: z.coerce.number().int().min(1, "at least 1 account").max(20, "at most 20 accounts").optional(),
  "deny-role-in": z
    .string()
    .transform((s) => s.split(",").map((i) => i.trim()))
    .pipe(z.array(z.string().regex(/^\d+$/, "account indices like 1,2").transform(Number)))
    .optional(),
  monitoring: z.literal("true").optional(),
});

export type CliOptions = z.infer<typeof Args>;

/** The accounts the flags describe, or nothing (a single account, no organization) when none is given. */
export function accountOptions(options: CliOptions): Pick<SandboxOptions, "accounts" | "monitoring"> {
  const wanted = options.accounts !== undefined || options["deny-role-in"] || options.monitoring;
  if (!wanted) return {};
  const count = options.accounts ?? 1;
  const deny = new Set(options["deny-role-in"] ?? []);
  for (const i of deny)
    if (i >= count)
      throw new UsageError(`--deny-role-in: account index ${i} does not exist (indices run 0..${count - 1})`);
  if (options.monitoring && count < 2)
    throw new UsageError("--monitoring needs --accounts 2 or more: the monitoring account links the others");
  const accounts: SandboxAccountSpec[] = Array.from({ length: count }, (_, i) => ({
    name: i === 0 ? "management" : `member-${i}`,
    ...(deny.has(i)
      ? { roles: [{ name: "fleetscope", deny: true }, { name: "OrganizationAccountAccessRole" }] }
      : {}),
  }));
  if (!options.monitoring) return { accounts };
  const ids = resolveAccounts(accounts, { seed: options.seed }).map((a) => a.id);
  return { accounts, monitoring: { accountId: ids[0] as string, sourceAccountIds: ids.slice(1) } };
}

const FAULT_FLAGS = {
  "throttle-rate": "throttleRate",
  "error-rate": "errorRate",
  "latency-ms": "latencyMs",
} as const;

export interface ParsedArgs {
  options: CliOptions;
  faults: FaultConfig;
  accounts: Pick<SandboxOptions, "accounts" | "monitoring">;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const plain: Record<string, string> = {};
  const faults: Record<string, Record<string, number>> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? "";
    if (flag === "--help" || flag === "-h") throw new UsageError("");
    if (!flag.startsWith("--")) throw new UsageError(`unexpected argument '${flag}'`);
    const [name, inline] = flag.slice(2).split("=", 2) as [string, string | undefined];
    if (name === "monitoring") {
      if (inline !== undefined) throw new UsageError("--monitoring takes no value");
      plain.monitoring = "true";
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (name in FAULT_FLAGS) {
      const [service, raw] = value.split("=", 2);
      if (!SERVICES.includes(service as (typeof SERVICES)[number]) || raw === undefined)
        throw new UsageError(
          `--${name} expects SERVICE=VALUE with SERVICE one of ${SERVICES.join(", ")}, got '${value}'`,
        );
      const key = FAULT_FLAGS[name as keyof typeof FAULT_FLAGS];
      faults[service as string] = { ...faults[service as string], [key]: Number(raw) };
    } else if (
      [
        "port",
        "host",
        "seed",
        "functions",
        "regions",
        "max-concurrent-queries",
        "accounts",
        "deny-role-in",
      ].includes(name)
    )
      plain[name] = value;
    else throw new UsageError(`unknown option --${name}`);
  }
  const options = Args.safeParse(plain);
  if (!options.success)
    throw new UsageError(options.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("\n"));
  const faultConfig = FaultConfigSchema.safeParse(faults);
  if (!faultConfig.success)
    throw new UsageError(
      faultConfig.error.issues.map((i) => `fault ${i.path.join(".")}: ${i.message}`).join("\n"),
    );
  return { options: options.data, faults: faultConfig.data, accounts: accountOptions(options.data) };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) console.error(`sandbox: ${e.message}\n`);
      console.error(USAGE);
      process.exit(e.message ? 2 : 0);
    }
    throw e;
  }
  const { options, faults, accounts } = parsed;
  const sandbox = await startSandbox({
    ...accounts,
    port: options.port,
    host: options.host,
    seed: options.seed,
    functionsPerRegion: options.functions,
    regions: options.regions,
    faults,
    maxConcurrentQueries: options["max-concurrent-queries"],
  });
  const region = options.regions[0] ?? "us-east-1";
  console.log(`Fleetscope sandbox listening on ${sandbox.url}`);
  console.log(
    `  account ${sandbox.account.accountId}, seed ${options.seed}, ${options.functions} functions in ${options.regions.join(", ")}`,
  );
  if (accounts.accounts) {
    accounts.accounts.forEach((a, i) => {
      const id = sandbox.accounts[i]?.accountId ?? "?";
      const notes = [
        i === 0 ? "management" : null,
        accounts.monitoring?.accountId === id ? "OAM monitoring account" : null,
        options["deny-role-in"]?.includes(i) ? "fleetscope role denies AssumeRole" : null,
      ].filter(Boolean);
      console.log(`  [${i}] ${id} ${a.name}${notes.length ? ` (${notes.join("; ")})` : ""}`);
    });
    const member = sandbox.accounts[1]?.accountId;
    if (member)
      console.log(
        `  assume: aws --endpoint-url ${sandbox.url} sts assume-role --role-arn arn:aws:iam::${member}:role/fleetscope --role-session-name me`,
      );
  }
  console.log(
    `  try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url ${sandbox.url} --region ${region} lambda list-aliases --function-name payments-api`,
  );
  console.log(`  console: AWS_ENDPOINT_URL=${sandbox.url} npm run dev`);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: closing sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
