/**
 * Log lines as Lambda writes them to CloudWatch Logs (ids changed, shapes kept: tabs, trailing tabs, the X-Ray part
 * on its own line, SnapStart fields, Status / Error Type on newer runtimes).
 */
export const ID_COLD = "8f507cfc-1111-4697-b07a-ac58fc914c95";
export const ID_WARM = "a0c4d3e2-2222-4b1a-9c0d-1e2f3a4b5c6d";
export const ID_TIMEOUT = "3c1e1f0a-3333-4a5b-9c8d-0e1f2a3b4c5d";
export const ID_OOM = "9a1b2c3d-4444-4e5f-8a9b-0c1d2e3f4a5b";
export const ID_UNHANDLED = "b7c8d9e0-5555-4f1a-8b2c-3d4e5f6a7b8c";
export const ID_SNAP = "c1d2e3f4-6666-4a5b-8c9d-0e1f2a3b4c5d";
export const ID_JSON = "d4e5f6a7-7777-4b8c-9d0e-1f2a3b4c5d6e";
export const TRACE = "1-5e1b4151-5ac6c58f3c3ba4a1e7d8e2a0";

export const textColdStart = [
  "INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0f1a2b3c4d5e6f70\n",
  `START RequestId: ${ID_COLD} Version: 7\n`,
  `2024-05-06T10:11:12.345Z\t${ID_COLD}\tINFO\tprocessing order 42\n`,
  `END RequestId: ${ID_COLD}\n`,
  `REPORT RequestId: ${ID_COLD}\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 145.12 ms\t\nXRAY TraceId: ${TRACE}\tSegmentId: 6c9c0b6b2a1e4f3d\tSampled: true\t\n`,
];

export const textWarm = [
  `START RequestId: ${ID_WARM} Version: $LATEST\n`,
  `[INFO]\t2024-05-06T10:11:13.001Z\t${ID_WARM}\tpython says hi\n`,
  `END RequestId: ${ID_WARM}\n`,
  `REPORT RequestId: ${ID_WARM}\tDuration: 3.71 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\t\n`,
];

export const textTimeout = [
  `START RequestId: ${ID_TIMEOUT} Version: 7\n`,
  `2024-05-06T10:11:15.456Z ${ID_TIMEOUT} Task timed out after 3.00 seconds\n`,
  `END RequestId: ${ID_TIMEOUT}\n`,
  `REPORT RequestId: ${ID_TIMEOUT}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n`,
];

/** Older runtime: the kill line has no tab prefix and the REPORT has no Status. */
export const textOom = [
  `START RequestId: ${ID_OOM} Version: 8\n`,
  `2024-05-06T10:11:16.001Z\t${ID_OOM}\tINFO\tloading a big file\n`,
  "Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n",
  `END RequestId: ${ID_OOM}\n`,
  `REPORT RequestId: ${ID_OOM}\tDuration: 812.44 ms\tBilled Duration: 813 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t\n`,
];

export const textUnhandled = [
  `START RequestId: ${ID_UNHANDLED} Version: 8\n`,
  `2024-05-06T10:11:17.100Z\t${ID_UNHANDLED}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"x is not a function","stack":["TypeError: x is not a function","    at Runtime.handler (/var/task/index.js:3:9)"]}\n`,
  `END RequestId: ${ID_UNHANDLED}\n`,
  `REPORT RequestId: ${ID_UNHANDLED}\tDuration: 12.02 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\tStatus: error\tError Type: Runtime.UnhandledPromiseRejection\n`,
];

export const textSnapStart = [
  "RESTORE_START Runtime Version: java:17.v21\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n",
  "RESTORE_REPORT Restore Duration: 571.67 ms\n",
  `START RequestId: ${ID_SNAP} Version: 3\n`,
  `END RequestId: ${ID_SNAP}\n`,
  `REPORT RequestId: ${ID_SNAP}\tDuration: 20.34 ms\tBilled Duration: 187 ms\tMemory Size: 512 MB\tMax Memory Used: 128 MB\tRestore Duration: 571.67 ms\tBilled Restore Duration: 166 ms\t\n`,
];

const tracing = `{"spanId":"54565fb41ac79632","type":"X-Amzn-Trace-Id","value":"Root=${TRACE};Parent=54565fb41ac79632;Sampled=1"}`;

export const jsonColdStart = [
  `{"time":"2024-05-06T10:11:12.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:20.v13","runtimeVersionArn":"arn:aws:lambda:us-east-1::runtime:0f1a","functionName":"orders-api","functionVersion":"5"}}`,
  `{"time":"2024-05-06T10:11:12.200Z","type":"platform.start","record":{"requestId":"${ID_JSON}","version":"5","tracing":${tracing}}}`,
  `{"timestamp":"2024-05-06T10:11:12.250Z","level":"INFO","requestId":"${ID_JSON}","message":"processing"}`,
  `{"time":"2024-05-06T10:11:12.240Z","type":"platform.runtimeDone","record":{"requestId":"${ID_JSON}","status":"timeout","tracing":${tracing},"spans":[{"name":"responseLatency","start":"2024-05-06T10:11:12.210Z","durationMs":23.0}],"metrics":{"durationMs":40.5,"producedBytes":0}}}`,
  `{"time":"2024-05-06T10:11:12.300Z","type":"platform.report","record":{"requestId":"${ID_JSON}","metrics":{"durationMs":41.0,"billedDurationMs":42,"memorySizeMB":256,"maxMemoryUsedMB":90,"initDurationMs":310.2},"tracing":${tracing},"status":"timeout","errorType":"Sandbox.Timedout"}}`,
];
