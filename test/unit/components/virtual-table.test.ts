import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { SortHeaderRow, VirtualRows } from "@/components/ui/virtual-table";

// No layout on the server: stand in for the virtualizer with a fixed window of the first rows.
vi.mock("@tanstack/react-virtual", () => ({
  useVirtualizer: (o: { count: number; estimateSize: () => number }) => ({
    getTotalSize: () => o.count * o.estimateSize(),
    getVirtualItems: () =>
      Array.from({ length: Math.min(o.count, 3) }, (_, i) => ({ index: i, start: i * o.estimateSize() })),
  }),
}));

const items = ["alpha", "beta", "gamma", "delta"];
const rows = (list: string[]) =>
  renderToString(
    createElement(VirtualRows<string>, {
      items: list,
      grid: "grid",
      rowHeight: 30,
      overscan: 5,
      className: "h-40",
      testId: "rows",
      empty: "Nothing here.",
      rowKey: (s) => s,
      rowAttributes: (s) => ({ "data-name": s }),
      renderRow: (s) => createElement("div", { role: "cell" }, s.toUpperCase()),
    }),
  );

describe("VirtualRows", () => {
  it("renders only the virtual window, positioned, with the header counted as row 1", () => {
    const html = rows(items);
    expect(html).toContain('style="height:120px;position:relative"');
    expect(html.match(/role="row"/g)).toHaveLength(3);
    expect(html).toContain('aria-rowindex="2" data-name="alpha"');
    expect(html).toContain('aria-rowindex="4" data-name="gamma"');
    expect(html).toContain("transform:translateY(60px)");
    expect(html).toContain("GAMMA");
    expect(html).not.toContain("DELTA");
    expect(html).toContain('data-testid="rows"');
  });

  it("shows the empty message instead of the spacer", () => {
    const html = rows([]);
    expect(html).toContain("Nothing here.");
    expect(html).not.toContain("position:relative");
  });
});

describe("SortHeaderRow", () => {
  it("marks the sorted column for assistive tech and with an arrow", () => {
    const html = renderToString(
      createElement(SortHeaderRow<"name" | "p99">, {
        grid: "grid",
        columns: [
          { key: "name", label: "Name" },
          { key: "p99", label: "p99", numeric: true },
        ],
        sort: "p99",
        dir: "desc",
        onSort: () => {},
        buttonClassName: "btn",
      }),
    );
    expect(html).toContain('aria-sort="none" class=""><button type="button" class="btn">Name');
    expect(html).toContain('aria-sort="descending" class="text-right"><button type="button" class="btn">p99');
    expect(html).toContain("↓");
    expect(html).not.toContain("↑");
  });
});
