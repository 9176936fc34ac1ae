/**
 * Runs in the browser before the app's modules. The CSP (proxy.ts) has no 'unsafe-eval': zod's JIT probes
 * `Function("")` when a schema is built, which the browser blocks and reports as a violation. The interpreter
 * it falls back to parses the same way, so say so up front and never probe.
 */
import { config } from "zod";

config({ jitless: true });
