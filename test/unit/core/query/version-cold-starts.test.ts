import { describe, expect, it } from "vitest";
import { isFleetscopeError } from "@/lib/core/errors";
import { readVersionColdStarts, versionColdStartsQuery } from "@/lib/core/query/version-cold-starts";

describe("versionColdStartsQuery", () => {
  it("takes the version from the stream name and counts REPORT lines with an init duration", () => {
    expect(versionColdStartsQuery("Text")).toBe(
      [
        'filter @type = "REPORT"',
        'parse @logStream "[*]" as version',
        "stats count(*) as invocations, count(@initDuration) as coldStarts by version",
      ].join("\n| "),
    );
  });

  it("reads platform.report records in JSON log groups", () => {
    const q = versionColdStartsQuery("JSON");
    expect(q).toContain('filter type = "platform.report"');
    expect(q).toContain("count(record.metrics.initDurationMs) as coldStarts by version");
    expect(q).toContain('parse @logStream "[*]" as version');
  });
});

describe("readVersionColdStarts", () => {
  it("returns one entry per requested version, in the requested order, with the rate", () => {
    const rows = [
      { version: "8", invocations: "200", coldStarts: "10" },
      { version: "7", invocations: "1000", coldStarts: "5" },
      { version: "3", invocations: "40", coldStarts: "1" },
    ];
    expect(readVersionColdStarts(rows, ["7", "8"])).toEqual([
      { version: "7", invocations: 1000, coldStarts: 5, rate: 0.005 },
      { version: "8", invocations: 200, coldStarts: 10, rate: 0.05 },
    ]);
  });

  it("reads a version without rows as zero with no rate, and zero rows as zero for every version", () => {
    expect(readVersionColdStarts([{ version: "7", invocations: "12", coldStarts: "0" }], ["7", "8"])).toEqual(
      [
        { version: "7", invocations: 12, coldStarts: 0, rate: 0 },
        { version: "8", invocations: 0, coldStarts: 0, rate: null },
      ],
    );
    expect(readVersionColdStarts([], ["7"])).toEqual([
      { version: "7", invocations: 0, coldStarts: 0, rate: null },
    ]);
  });

  it("adds up the same version reported by several query chunks", () => {
    const rows = [
      { version: "7", invocations: "10", coldStarts: "2" },
      { version: "7", invocations: "30", coldStarts: "2" },
    ];
    expect(readVersionColdStarts(rows, ["7"])).toEqual([
      { version: "7", invocations: 40, coldStarts: 4, rate: 0.1 },
    ]);
  });

  it("skips rows of streams without a Lambda version, which are not this function's REPORT lines", () => {
    const rows = [
      { invocations: "5", coldStarts: "1" }, // a stream without [version]: the group key is absent
      { version: "7 or 8", invocations: "5", coldStarts: "0" },
      { version: "7", invocations: "3", coldStarts: "1" },
    ];
    expect(readVersionColdStarts(rows, ["7"])).toEqual([
      { version: "7", invocations: 3, coldStarts: 1, rate: 1 / 3 },
    ]);
  });

  it("keeps $LATEST apart from published versions", () => {
    const rows = [{ version: "$LATEST", invocations: "4", coldStarts: "4" }];
    expect(readVersionColdStarts(rows, ["$LATEST", "1"]).map((v) => v.coldStarts)).toEqual([4, 0]);
  });

  it.each([
    [{ version: "7", invocations: "5", coldStarts: "9" }, "`coldStarts` = 9, more than `invocations` = 5"],
    [
      { version: "7", invocations: "n/a", coldStarts: "0" },
      "`invocations` with a value that is not a number",
    ],
    [{ version: "7", invocations: "5" }, "rows without the field `coldStarts`"],
    [{ version: "7", invocations: "5", cold: "1" }, "without the field `coldStarts` (and with `cold`"],
    [{ version: "1", invocations: "-3", coldStarts: "0" }, "`invocations` with a value that is negative"],
  ])("makes an unreadable row a coded failure with its reason, never 0: %j", (row, reason) => {
    let thrown: unknown = null;
    try {
      readVersionColdStarts([{ version: "7", invocations: "10", coldStarts: "1" }, row], ["7"]);
    } catch (e) {
      thrown = e;
    }
    expect(isFleetscopeError(thrown) && thrown.code).toBe("Unavailable");
    expect((thrown as Error).message).toContain(reason);
    expect((thrown as Error).message).toContain("1 of 2 rows unreadable");
  });
});
