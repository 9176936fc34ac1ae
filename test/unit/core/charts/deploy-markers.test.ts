import { describe, expect, it } from "vitest";
import {
  aliasLabel,
  configDiff,
  fleetMarkers,
  functionMarkers,
  type ChartMarker,
  type FunctionChangeRecords,
} from "@/lib/core/charts/deploy-markers";
import type { AuditEntry } from "@/lib/core/traffic/audit";
import { epochMs, mb, ratio, seconds } from "@/lib/core/units";
import { config } from "../advisor-fixtures";

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 7, 0);
const window = { start: T0, end: T0 + 24 * H };

const version = (n: number, at: number, over: Parameters<typeof config>[0] = {}) =>
  config({ version: String(n), lastModified: epochMs(at), description: `v${n} notes`, ...over });

function audit(over: Partial<AuditEntry>): AuditEntry {
  return {
    id: 1,
    at: epochMs(T0 + H),
    actor: "alice",
    account: "111111111111",
    region: "us-east-1",
    functionName: "orders-api",
    alias: "live",
    action: "shift",
    before: { primaryVersion: "7", routing: null },
    after: { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(0.1) } },
    reason: "canary",
    outcome: "applied",
    detail: "",
    planId: null,
    roleArn: null,
    ...over,
  };
}

const records = (over: Partial<FunctionChangeRecords>): FunctionChangeRecords => ({
  latest: null,
  versions: [],
  audit: [],
  ...over,
});

describe("configDiff", () => {
  it("names each changed field with its unit once, and code changes", () => {
    const a = config({ memory: mb(512), timeout: seconds(3) });
    const b = config({ memory: mb(1024), timeout: seconds(10), codeSha256: "other" });
    expect(configDiff(a, b)).toEqual(["memory 512 → 1024 MB", "timeout 3 → 10 s", "code changed"]);
    expect(configDiff(a, a)).toEqual([]);
  });
});

describe("functionMarkers", () => {
  it("draws each published version at its LastModified, inside the window only, with what changed", () => {
    const markers = functionMarkers(
      records({
        versions: [
          version(8, T0 + 5 * H, { memory: mb(2048) }),
          version(6, T0 - 2 * H), // before the window
          version(7, T0 + 2 * H),
          version(9, T0 + 25 * H), // after it
        ],
        functionHref: "/functions/us-east-1/orders-api",
      }),
      window,
    );
    expect(markers.map((m) => [m.t, m.kind, m.label])).toEqual([
      [T0 + 2 * H, "version", "v7 published"],
      [T0 + 5 * H, "version", "v8 published"],
    ]);
    expect(markers[1]?.detail).toContain("since v7: memory 1024 → 2048 MB");
    expect(markers[1]).toMatchObject({ count: 1, href: "/functions/us-east-1/orders-api" });
  });

  it("does not guess what changed when the previous version is not stored", () => {
    const [m] = functionMarkers(records({ versions: [version(3, T0 + H), version(5, T0 + 2 * H)] }), window);
    expect(m?.label).toBe("v3 published");
    const v5 = functionMarkers(
      records({ versions: [version(3, T0 + H), version(5, T0 + 2 * H)] }),
      window,
    )[1];
    expect(v5?.detail).not.toContain("since");
  });

  it("draws a $LATEST change newer than the newest published version as a config marker", () => {
    const markers = functionMarkers(
      records({
        versions: [version(4, T0 + H)],
        latest: config({ lastModified: epochMs(T0 + 3 * H), memory: mb(512) }),
      }),
      window,
    );
    expect(markers.map((m) => [m.t, m.kind, m.label])).toEqual([
      [T0 + H, "version", "v4 published"],
      [T0 + 3 * H, "config", "config: memory 1024 → 512 MB"],
    ]);
  });

  it("says a code-only $LATEST change is one, and draws nothing for a $LATEST a version published", () => {
    const code = functionMarkers(
      records({
        versions: [version(4, T0 + H)],
        latest: config({ lastModified: epochMs(T0 + 3 * H), codeSha256: "new" }),
      }),
      window,
    );
    expect(code.at(-1)?.label).toBe("$LATEST code updated");
    const same = functionMarkers(
      records({ versions: [version(4, T0 + H)], latest: config({ lastModified: epochMs(T0 + H) }) }),
      window,
    );
    expect(same.map((m) => m.kind)).toEqual(["version"]);
  });

  it("draws applied alias changes from the audit log, not refused or no-op ones", () => {
    const markers = functionMarkers(
      records({
        audit: [
          audit({ id: 1 }),
          audit({ id: 2, at: epochMs(T0 + 2 * H), outcome: "conflict" }),
          audit({
            id: 3,
            at: epochMs(T0 + 3 * H),
            action: "promote",
            before: { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(0.1) } },
            after: { primaryVersion: "8", routing: null },
          }),
          audit({
            id: 4,
            at: epochMs(T0 + 4 * H),
            before: { primaryVersion: "8", routing: null },
            after: { primaryVersion: "8", routing: null },
          }),
          audit({ id: 5, at: epochMs(T0 - H) }),
        ],
        aliasHref: (a) => `/traffic/us-east-1/orders-api/${a}`,
      }),
      window,
    );
    expect(markers.map((m) => [m.t, m.kind, m.label])).toEqual([
      [T0 + H, "alias", "live → v8 10%"],
      [T0 + 3 * H, "alias", "live → v8"],
    ]);
    expect(markers[0]?.detail).toContain("live: v7 100% → v7 90% / v8 10%");
    expect(markers[0]?.detail).toContain("shift by alice");
    expect(markers[0]?.href).toBe("/traffic/us-east-1/orders-api/live");
  });

  it("labels a target without routing by its primary version", () => {
    expect(aliasLabel("prod", { primaryVersion: "3", routing: null })).toBe("prod → v3");
    expect(
      aliasLabel("prod", { primaryVersion: "3", routing: { additionalVersion: "4", weight: ratio(0) } }),
    ).toBe("prod → v3");
  });
});

describe("fleetMarkers", () => {
  const m = (t: number, kind: ChartMarker["kind"], label: string): ChartMarker => ({
    t,
    kind,
    label,
    count: 1,
  });
  const grid = { ...window, stepMs: H };

  it("keeps a lone change, named by its function", () => {
    const out = fleetMarkers(
      [{ name: "a", markers: [m(T0 + 90 * 60_000, "version", "v2 published")] }],
      grid,
    );
    expect(out).toEqual([{ t: T0 + 90 * 60_000, kind: "version", label: "a: v2 published", count: 1 }]);
  });

  it("groups changes of one slot into one marker with their count, majority kind and a capped list", () => {
    const perFunction = ["a", "b", "c", "d"].map((name, i) => ({
      name,
      markers: [m(T0 + H + (i + 1) * 60_000, i === 0 ? "alias" : "version", `change ${i}`)],
    }));
    perFunction.push({ name: "e", markers: [m(T0 + 5 * H, "config", "config: memory")] });
    const out = fleetMarkers(perFunction, grid, 2);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ t: T0 + H + 60_000, kind: "version", label: "4 changes", count: 4 });
    expect(out[0]?.detail?.split("\n")).toEqual(["a: change 0", "b: change 1", "… and 2 more"]);
    expect(out[1]).toMatchObject({ label: "e: config: memory", count: 1 });
  });

  it("leaves out changes outside the window", () => {
    expect(fleetMarkers([{ name: "a", markers: [m(T0 - 1, "version", "v1 published")] }], grid)).toEqual([]);
  });
});
