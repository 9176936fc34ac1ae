import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { startSandbox } from "@/lib/sandbox";
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const sb = await startSandbox({ port: 0, seed: 7, now: () => NOW, functionsPerRegion: 50, regions: ["us-east-1"] });
const logs = new CloudWatchLogsClient({ endpoint: sb.url, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, maxAttempts: 1 });
const groups = [...new Set([...sb.account.regions.get("us-east-1")!.functions.values()].map((f) => f.logGroup))].slice(0, 50);
const t0 = performance.now();
const { queryId } = await logs.send(new StartQueryCommand({ logGroupNames: groups, startTime: (NOW - 86400000) / 1000, endTime: NOW / 1000 - 1, queryString: 'filter @type = "REPORT" | stats count(*), avg(@duration), pct(@duration, 99) by @log' }));
for (let i = 0; ; i++) {
  const t = performance.now();
  try {
    const out = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (i % 20 === 0 || out.status === "Complete") console.log(i, out.status, Math.round(performance.now() - t), Math.round(performance.now() - t0));
    if (out.status === "Complete") { console.log(out.results?.length, out.statistics); break; }
  } catch (e) { console.log("err", i, Math.round(performance.now() - t), String(e)); break; }
}
await sb.close();
