/**
 * The Lambda port: only the control-plane calls the console makes. It owns pagination and error mapping and
 * reshapes SDK shapes into lib/core/lambda/types.ts at this boundary; no SDK type is exported.
 *
 * Invariants: every `list*` returns all pages (following NextMarker until absent); every failure is a
 * FleetscopeError (mapped once in ./errors); the adapter is bound to one region and one client.
 */
import type { AccountTarget } from "@/lib/core/accounts";
import "server-only";
import {
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetFunctionRecursionConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
  type AliasConfiguration,
  type EventSourceMappingConfiguration,
  type FunctionConfiguration,
  type FunctionEventInvokeConfig,
  type GetFunctionUrlConfigResponse,
  type ProvisionedConcurrencyConfigListItem,
} from "@aws-sdk/client-lambda";
import { FleetscopeError, isFleetscopeError } from "@/lib/core/errors";
import type {
  AccountSettings,
  Alias,
  AliasRouting,
  FunctionConfig,
  ProvisionedConcurrency,
} from "@/lib/core/lambda/types";
import { sourceKindOf } from "@/lib/core/triggers/source";
import type { AsyncConfig, EventSourceMapping, FunctionUrl, RecursiveLoop } from "@/lib/core/triggers/types";
import { bytes, epochMs, mb, ratio, seconds } from "@/lib/core/units";
import { lambdaClient } from "./clients";
import { mapAwsErrors } from "./errors";

/** Abandoning a call: the SDK aborts the HTTP request and the call fails Timeout (AbortError). */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface PageOptions extends CallOptions {
  /** MaxItems per page; AWS caps at 50 for ListFunctions/ListVersionsByFunction, 10,000 for ListAliases. */
  pageSize?: number;
}

export interface FunctionWithExtras {
  config: FunctionConfig;
  tags: Record<string, string>;
  /** Reserved concurrency, or null when the function draws from the account's unreserved pool. */
  reservedConcurrency: number | null;
}

export interface UpdateAliasInput {
  functionName: string;
  alias: string;
  /** The primary version; omitted keeps the alias's current one. */
  functionVersion?: string;
  /** The additional version and its weight, or null to send all traffic to the primary version. */
  routing: AliasRouting | null;
  /** Optimistic lock: AWS rejects the update with PreconditionFailed (→ Conflict) when it is stale. */
  revisionId: string;
}

export interface LambdaPort {
  readonly region: string;
  /** Every function's $LATEST, or with `allVersions` also every published version. */
  listFunctions(options?: PageOptions & { allVersions?: boolean }): Promise<FunctionConfig[]>;
  /** One page of ListFunctions, for callers that spread a long listing over several runs. */
  listFunctionsPage(options: {
    allVersions?: boolean;
    marker?: string;
  }): Promise<{ functions: FunctionConfig[]; nextMarker: string | null }>;
  getFunction(name: string): Promise<FunctionWithExtras>;
  getFunctionConfiguration(name: string, qualifier?: string): Promise<FunctionConfig>;
  /** $LATEST and every published version, in the order AWS returns them. */
  listVersions(name: string, options?: PageOptions): Promise<FunctionConfig[]>;
  listAliases(name: string, options?: PageOptions): Promise<Alias[]>;
  getAlias(name: string, alias: string, options?: CallOptions): Promise<Alias>;
  /**
   * An abandoned (aborted) UpdateAlias may still have reached AWS: callers must not assume it did not land.
   * Its RevisionId means it can only land on the revision it was based on.
   */
  updateAlias(input: UpdateAliasInput, options?: CallOptions): Promise<Alias>;
  getAccountSettings(): Promise<AccountSettings>;
  getReservedConcurrency(name: string): Promise<number | null>;
  listProvisionedConcurrency(name: string, options?: PageOptions): Promise<ProvisionedConcurrency[]>;
  listTags(functionArn: string): Promise<Record<string, string>>;
}

/** A mapping with the function it invokes (its FunctionArn's name; a qualified ARN keeps its qualifier apart). */
export interface FunctionMapping {
  functionName: string;
  /** The alias or version the mapping invokes, null for the unqualified function. */
  qualifier: string | null;
  mapping: EventSourceMapping;
}

/**
 * How a function is invoked (triggers and async delivery): a port of its own, so fakes of the older calls
 * need not implement these; the real adapter implements both.
 */
export interface LambdaTriggersPort {
  /** The event source mappings that invoke the function (all pages). */
  listEventSourceMappings(functionName: string, options?: PageOptions): Promise<EventSourceMapping[]>;
  /** The resource-based policy as AWS stores it (untrusted JSON text), or null when the function has none. */
  getPolicy(functionName: string, options?: CallOptions): Promise<string | null>;
  /** The unqualified function's URL, or null when it has none. */
  getFunctionUrlConfig(functionName: string, options?: CallOptions): Promise<FunctionUrl | null>;
  /** The unqualified function's event invoke config, or null: then AWS's defaults apply. */
  getFunctionEventInvokeConfig(functionName: string, options?: CallOptions): Promise<AsyncConfig | null>;
  getFunctionRecursionConfig(functionName: string, options?: CallOptions): Promise<RecursiveLoop>;
}

/** The fleet's view of the triggers: one listing per region instead of one per function (its own port, like above). */
export interface LambdaFleetTriggersPort {
  /** Every event source mapping of the region (ListEventSourceMappings without FunctionName, all pages). */
  listAllEventSourceMappings(options?: PageOptions): Promise<FunctionMapping[]>;
}

type LambdaAdapter = LambdaPort & LambdaTriggersPort & LambdaFleetTriggersPort;

/** The adapter for a region, on the process-wide client for that region. */
/** The account's functions, through its role (also in OAM mode: inventory and alias changes are per account). */
export const lambdaFor = (region: string, account: AccountTarget | null = null): LambdaAdapter =>
  createLambdaPort(lambdaClient(region, account), region);

export function createLambdaPort(client: LambdaClient, region: string): LambdaAdapter {
  const call = <T>(context: string, fn: () => Promise<T>) => mapAwsErrors(`Lambda ${context}`, fn);

  /** Follow NextMarker until AWS stops sending one; a repeated marker would loop forever, so it is an error. */
  async function allPages<T>(
    context: string,
    fetchPage: (marker: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
  ): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let marker: string | undefined;
    do {
      const page = await call(context, () => fetchPage(marker));
      out.push(...page.items);
      marker = page.next || undefined;
      if (marker !== undefined) {
        if (seen.has(marker)) throw new FleetscopeError("Unavailable", `Lambda ${context}: paging loop`);
        seen.add(marker);
      }
    } while (marker !== undefined);
    return out;
  }

  const toConfig = (c: FunctionConfiguration) => toFunctionConfig(c, region);

  /** For the optional parts of a function (policy, URL, invoke config): AWS answers their absence 404. */
  const orNullIfMissing = async <T>(load: Promise<T>): Promise<T | null> => {
    try {
      return await load;
    } catch (e) {
      if (isFleetscopeError(e) && e.code === "NotFound") return null;
      throw e;
    }
  };

  return {
    region,

    listFunctions: ({ pageSize, allVersions } = {}) =>
      allPages("ListFunctions", async (Marker) => {
        const r = await client.send(
          new ListFunctionsCommand({
            Marker,
            MaxItems: pageSize,
            ...(allVersions ? { FunctionVersion: "ALL" } : {}),
          }),
        );
        return { items: (r.Functions ?? []).map(toConfig), next: r.NextMarker };
      }),

    listFunctionsPage: ({ allVersions, marker }) =>
      call("ListFunctions", async () => {
        const r = await client.send(
          new ListFunctionsCommand({ Marker: marker, ...(allVersions ? { FunctionVersion: "ALL" } : {}) }),
        );
        return { functions: (r.Functions ?? []).map(toConfig), nextMarker: r.NextMarker || null };
      }),

    getFunction: (name) =>
      call(`GetFunction ${name}`, async () => {
        const r = await client.send(new GetFunctionCommand({ FunctionName: name }));
        if (!r.Configuration)
          throw new FleetscopeError("Unavailable", `GetFunction ${name}: no configuration`);
        return {
          config: toConfig(r.Configuration),
          tags: { ...r.Tags },
          reservedConcurrency: r.Concurrency?.ReservedConcurrentExecutions ?? null,
        };
      }),

    getFunctionConfiguration: (name, qualifier) =>
      call(`GetFunctionConfiguration ${name}${qualifier ? `:${qualifier}` : ""}`, async () =>
        toConfig(
          await client.send(
            new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier }),
          ),
        ),
      ),

    listVersions: (name, { pageSize, signal } = {}) =>
      allPages(`ListVersionsByFunction ${name}`, async (Marker) => {
        const r = await client.send(
          new ListVersionsByFunctionCommand({ FunctionName: name, Marker, MaxItems: pageSize }),
          { abortSignal: signal },
        );
        return { items: (r.Versions ?? []).map(toConfig), next: r.NextMarker };
      }),

    listAliases: (name, { pageSize } = {}) =>
      allPages(`ListAliases ${name}`, async (Marker) => {
        const r = await client.send(
          new ListAliasesCommand({ FunctionName: name, Marker, MaxItems: pageSize }),
        );
        return { items: (r.Aliases ?? []).map(toAlias), next: r.NextMarker };
      }),

    getAlias: (name, alias, { signal } = {}) =>
      call(`GetAlias ${name}:${alias}`, async () =>
        toAlias(
          await client.send(new GetAliasCommand({ FunctionName: name, Name: alias }), {
            abortSignal: signal,
          }),
        ),
      ),

    updateAlias: ({ functionName, alias, functionVersion, routing, revisionId }, { signal } = {}) =>
      call(`UpdateAlias ${functionName}:${alias}`, async () =>
        toAlias(
          await client.send(
            new UpdateAliasCommand({
              FunctionName: functionName,
              Name: alias,
              FunctionVersion: functionVersion,
              // An empty map clears the routing; omitting it would leave the old weights in place.
              RoutingConfig: {
                AdditionalVersionWeights: routing ? { [routing.additionalVersion]: routing.weight } : {},
              },
              RevisionId: revisionId,
            }),
            { abortSignal: signal },
          ),
        ),
      ),

    getAccountSettings: () =>
      call("GetAccountSettings", async () => {
        const r = await client.send(new GetAccountSettingsCommand({}));
        const limit = r.AccountLimit ?? {};
        const usage = r.AccountUsage ?? {};
        return {
          region,
          concurrentExecutions: limit.ConcurrentExecutions ?? 0,
          unreservedConcurrentExecutions: limit.UnreservedConcurrentExecutions ?? 0,
          totalCodeSize: bytes(usage.TotalCodeSize ?? 0),
          codeSizeLimit: bytes(limit.TotalCodeSize ?? 0),
          codeSizeZipped: bytes(limit.CodeSizeZipped ?? 0),
          codeSizeUnzipped: bytes(limit.CodeSizeUnzipped ?? 0),
          functionCount: usage.FunctionCount ?? 0,
        };
      }),

    getReservedConcurrency: (name) =>
      call(`GetFunctionConcurrency ${name}`, async () => {
        const r = await client.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
        return r.ReservedConcurrentExecutions ?? null;
      }),

    listProvisionedConcurrency: (name, { pageSize, signal } = {}) =>
      allPages(`ListProvisionedConcurrencyConfigs ${name}`, async (Marker) => {
        const r = await client.send(
          new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name, Marker, MaxItems: pageSize }),
          { abortSignal: signal },
        );
        return { items: (r.ProvisionedConcurrencyConfigs ?? []).map(toProvisioned), next: r.NextMarker };
      }),

    listTags: (functionArn) =>
      call(`ListTags ${functionArn}`, async () => {
        const r = await client.send(new ListTagsCommand({ Resource: functionArn }));
        return { ...r.Tags };
      }),

    listEventSourceMappings: (functionName, { pageSize, signal } = {}) =>
      allPages(`ListEventSourceMappings ${functionName}`, async (Marker) => {
        const r = await client.send(
          new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker, MaxItems: pageSize }),
          { abortSignal: signal },
        );
        return { items: (r.EventSourceMappings ?? []).map(toEventSourceMapping), next: r.NextMarker };
      }),

    listAllEventSourceMappings: ({ pageSize, signal } = {}) =>
      allPages("ListEventSourceMappings (all)", async (Marker) => {
        const r = await client.send(new ListEventSourceMappingsCommand({ Marker, MaxItems: pageSize }), {
          abortSignal: signal,
        });
        return { items: (r.EventSourceMappings ?? []).map(toFunctionMapping), next: r.NextMarker };
      }),

    getPolicy: (functionName, { signal } = {}) =>
      orNullIfMissing(
        call(`GetPolicy ${functionName}`, async () => {
          const r = await client.send(new GetPolicyCommand({ FunctionName: functionName }), {
            abortSignal: signal,
          });
          return r.Policy ?? null;
        }),
      ),

    getFunctionUrlConfig: (functionName, { signal } = {}) =>
      orNullIfMissing(
        call(`GetFunctionUrlConfig ${functionName}`, async () =>
          toFunctionUrl(
            await client.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName }), {
              abortSignal: signal,
            }),
          ),
        ),
      ),

    getFunctionEventInvokeConfig: (functionName, { signal } = {}) =>
      orNullIfMissing(
        call(`GetFunctionEventInvokeConfig ${functionName}`, async () =>
          toAsyncConfig(
            await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: functionName }), {
              abortSignal: signal,
            }),
          ),
        ),
      ),

    getFunctionRecursionConfig: (functionName, { signal } = {}) =>
      call(`GetFunctionRecursionConfig ${functionName}`, async () => {
        const r = await client.send(new GetFunctionRecursionConfigCommand({ FunctionName: functionName }), {
          abortSignal: signal,
        });
        // Terminate is AWS's default, and the safe reading of an answer without the field.
        return r.RecursiveLoop === "Allow" ? "Allow" : "Terminate";
      }),
  };
}

/** Lambda writes LastModified as `2024-05-01T12:00:00.000+0000`; ISO-8601 parsers want `+00:00`. */
export function parseLambdaTimestamp(value: string | undefined): number {
  if (!value) return 0;
  const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isFinite(t) ? t : 0;
}

function toFunctionConfig(c: FunctionConfiguration, region: string): FunctionConfig {
  const name = c.FunctionName ?? "";
  const variables = c.Environment?.Variables;
  return {
    region,
    name,
    arn: c.FunctionArn ?? "",
    version: c.Version ?? "$LATEST",
    description: c.Description ?? "",
    runtime: c.Runtime ?? null,
    packageType: c.PackageType === "Image" ? "Image" : "Zip",
    architecture: c.Architectures?.[0] === "arm64" ? "arm64" : "x86_64",
    memory: mb(c.MemorySize ?? 128),
    timeout: seconds(c.Timeout ?? 3),
    ephemeralStorage: mb(c.EphemeralStorage?.Size ?? 512),
    codeSize: bytes(c.CodeSize ?? 0),
    codeSha256: c.CodeSha256 ?? "",
    // Lambda's 4 KB limit counts the variables as it stores them: the JSON of the map.
    envVarsSize: bytes(
      variables && Object.keys(variables).length > 0 ? Buffer.byteLength(JSON.stringify(variables)) : 0,
    ),
    layers: (c.Layers ?? []).map((l) => ({ arn: l.Arn ?? "", codeSize: bytes(l.CodeSize ?? 0) })),
    lastModified: epochMs(parseLambdaTimestamp(c.LastModified)),
    // Without a LoggingConfig, Lambda logs to its default group.
    logGroup: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    logFormat: c.LoggingConfig?.LogFormat === "JSON" ? "JSON" : "Text",
    tracing: c.TracingConfig?.Mode === "Active" ? "Active" : "PassThrough",
    snapStart: c.SnapStart?.ApplyOn === "PublishedVersions",
    revisionId: c.RevisionId ?? "",
    deadLetterTarget: c.DeadLetterConfig?.TargetArn || null,
  };
}

function toAlias(a: AliasConfiguration): Alias {
  // AWS allows one additional version; more would be a malformed response, and we show the first.
  const [additional] = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {});
  return {
    name: a.Name ?? "",
    arn: a.AliasArn ?? "",
    functionVersion: a.FunctionVersion ?? "",
    description: a.Description ?? "",
    routing: additional ? { additionalVersion: additional[0], weight: ratio(additional[1]) } : null,
    revisionId: a.RevisionId ?? "",
  };
}

function toProvisioned(p: ProvisionedConcurrencyConfigListItem): ProvisionedConcurrency {
  return {
    // The qualified ARN ends in :<alias or version>.
    qualifier: p.FunctionArn?.split(":").at(-1) ?? "",
    requested: p.RequestedProvisionedConcurrentExecutions ?? 0,
    allocated: p.AllocatedProvisionedConcurrentExecutions ?? 0,
    available: p.AvailableProvisionedConcurrentExecutions ?? 0,
    status: p.Status === "READY" || p.Status === "FAILED" ? p.Status : "IN_PROGRESS",
  };
}

/** The SDK turns restJson1 epoch-seconds timestamps into Dates; an absent or invalid one is unknown. */
const dateToEpoch = (d: Date | undefined) =>
  d && Number.isFinite(d.getTime()) ? epochMs(d.getTime()) : null;

function toEventSourceMapping(m: EventSourceMappingConfiguration): EventSourceMapping {
  const sourceArn = m.EventSourceArn || null;
  return {
    uuid: m.UUID ?? "",
    sourceArn,
    kind: sourceKindOf(sourceArn),
    state: m.State ?? "",
    stateReason: m.StateTransitionReason ?? "",
    lastProcessingResult: m.LastProcessingResult ?? null,
    batchSize: m.BatchSize ?? null,
    batchingWindowSeconds:
      m.MaximumBatchingWindowInSeconds === undefined ? null : seconds(m.MaximumBatchingWindowInSeconds),
    startingPosition: m.StartingPosition ?? null,
    filters: (m.FilterCriteria?.Filters ?? []).flatMap((f) => (f.Pattern ? [f.Pattern] : [])),
    bisectOnError: m.BisectBatchOnFunctionError ?? null,
    reportBatchItemFailures: (m.FunctionResponseTypes ?? []).includes("ReportBatchItemFailures"),
    onFailureDestination: m.DestinationConfig?.OnFailure?.Destination || null,
    maxRetries: m.MaximumRetryAttempts ?? null,
    maxRecordAgeSeconds: m.MaximumRecordAgeInSeconds ?? null,
    parallelizationFactor: m.ParallelizationFactor ?? null,
    lastModified: dateToEpoch(m.LastModified),
    metrics: (m.MetricsConfig?.Metrics ?? []).map(String),
  };
}

/** arn:partition:lambda:region:account:function:name[:qualifier]; an unreadable ARN is kept whole as the name. */
function toFunctionMapping(m: EventSourceMappingConfiguration): FunctionMapping {
  const arn = m.FunctionArn ?? "";
  const parts = arn.split(":");
  const named = parts.length >= 7 && parts[5] === "function";
  return {
    functionName: named ? (parts[6] ?? arn) : arn,
    qualifier: named ? (parts[7] ?? null) : null,
    mapping: toEventSourceMapping(m),
  };
}

function toFunctionUrl(u: GetFunctionUrlConfigResponse): FunctionUrl {
  const cors = u.Cors;
  return {
    url: u.FunctionUrl ?? "",
    authType: u.AuthType === "NONE" ? "NONE" : "AWS_IAM",
    invokeMode: u.InvokeMode === "RESPONSE_STREAM" ? "RESPONSE_STREAM" : "BUFFERED",
    cors: cors
      ? {
          allowOrigins: cors.AllowOrigins ?? [],
          allowMethods: cors.AllowMethods ?? [],
          allowHeaders: cors.AllowHeaders ?? [],
          exposeHeaders: cors.ExposeHeaders ?? [],
          allowCredentials: cors.AllowCredentials ?? false,
          maxAgeSeconds: cors.MaxAge === undefined ? null : seconds(cors.MaxAge),
        }
      : null,
  };
}

function toAsyncConfig(c: FunctionEventInvokeConfig): AsyncConfig {
  return {
    // A config that omits a field leaves AWS's default for it (2 retries, 6 hours).
    maxRetries: c.MaximumRetryAttempts ?? 2,
    maxEventAgeSeconds: seconds(c.MaximumEventAgeInSeconds ?? 21_600),
    onSuccess: c.DestinationConfig?.OnSuccess?.Destination || null,
    onFailure: c.DestinationConfig?.OnFailure?.Destination || null,
  };
}
