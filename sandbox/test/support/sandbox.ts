/** Starts an in-process sandbox for a test file: ephemeral port, fixed seed, pinned clock unless given. */
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/index";

export const TEST_SEED = 7;
/** A fixed "now" so fleets and alias shifts are identical on every run. */
export const TEST_NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

export function startTestSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, seed: TEST_SEED, now: () => TEST_NOW, ...opts });
}

/** Dummy credentials the sandbox accepts (it never verifies signatures). */
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
