/**
 * The waterfall as a user meets it: rows in tree order with names and durations, collapse and expand (pointer
 * and keyboard), the selected span and its details, error and fault marks. The input goes through the same
 * core functions as the request page (readTraceDocuments → toWaterfallData) from the segment documents of one
 * failed Lambda invocation: service segment, function segment, Initialization / Invocation (DynamoDB call and
 * a throttled HTTP call) / Overhead.
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTraceDocuments } from "@/lib/core/traces/trace-documents";
import { toWaterfallData } from "@/lib/core/traces/waterfall-data";
import type { RawSegment } from "@/lib/core/traces/types";
import { Waterfall } from "./waterfall";

const TRACE_ID = "1-6921f6c0-0123456789abcdef01234567";
const ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders-api";
/** Seconds since the epoch, X-Ray's unit, `ms` milliseconds after 2026-11-22T17:49:20Z. */
const at = (ms: number) => Math.round((1_763_833_760 + ms / 1000) * 1e6) / 1e6;

/**
 * The two segment documents Lambda and the X-Ray SDK write for one cold, failed invocation (as BatchGetTraces
 * returns them): 145.12 ms of init, a 102.25 ms handler that read DynamoDB and was throttled by a payment API.
 */
const documents: RawSegment[] = [
  {
    id: "aaaaaaaaaaaaaaa1",
    name: "orders-api",
    trace_id: TRACE_ID,
    start_time: at(0),
    end_time: at(249.27),
    origin: "AWS::Lambda",
    http: { response: { status: 200 } },
    aws: { request_id: "8f5e4c2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b" },
    resource_arn: `${ARN}:live`,
  },
  {
    id: "ddddddddddddddd1",
    name: "orders-api",
    trace_id: TRACE_ID,
    parent_id: "aaaaaaaaaaaaaaa1",
    start_time: at(0.4),
    end_time: at(248.97),
    origin: "AWS::Lambda::Function",
    resource_arn: `${ARN}:8`,
    fault: true,
    cause: {
      working_directory: "/var/task",
      exceptions: [{ id: "eeeeeeeeeeeeeee1", type: "PaymentDeclined", message: "card declined" }],
    },
    subsegments: [
      { id: "bbbbbbbbbbbbbbb1", name: "Initialization", start_time: at(0.4), end_time: at(145.52) },
      {
        id: "bbbbbbbbbbbbbbb2",
        name: "Invocation",
        start_time: at(145.52),
        end_time: at(247.77),
        fault: true,
        cause: "eeeeeeeeeeeeeee1",
        subsegments: [
          {
            id: "ccccccccccccccc1",
            name: "DynamoDB",
            namespace: "aws",
            start_time: at(150.52),
            end_time: at(180.52),
            aws: { operation: "GetItem", table_name: "orders" },
            http: { response: { status: 200 } },
          },
          {
            id: "ccccccccccccccc2",
            name: "api.stripe.com",
            namespace: "remote",
            start_time: at(185.52),
            end_time: at(240.52),
            http: {
              request: { method: "POST", url: "https://api.stripe.com/v1/charges" },
              response: { status: 429 },
            },
            error: true,
            throttle: true,
          },
        ],
      },
      { id: "bbbbbbbbbbbbbbb3", name: "Overhead", start_time: at(247.77), end_time: at(248.97) },
    ],
  },
].map((doc) => ({ id: doc.id, document: JSON.stringify(doc) }));

// happy-dom lays nothing out: give elements the waterfall's real viewport so the virtualizer renders rows.
const viewport = { clientHeight: 560, clientWidth: 1200 };
beforeAll(() => {
  for (const [key, value] of Object.entries(viewport)) {
    Object.defineProperty(HTMLElement.prototype, key, { configurable: true, get: () => value });
  }
});
afterAll(() => {
  for (const key of Object.keys(viewport)) Reflect.deleteProperty(HTMLElement.prototype, key);
});

function renderFailedInvocation() {
  const tree = readTraceDocuments(TRACE_ID, { format: "xray", documents });
  render(<Waterfall data={toWaterfallData(tree)} />);
  return { tree: screen.getByRole("tree", { name: "Trace waterfall" }), user: userEvent.setup() };
}

/** Each visible row's label (the phase or span name), in display order. */
const rowLabels = () =>
  screen.getAllByRole("treeitem").map((row) => row.getAttribute("aria-label")?.split(", ")[0]);

const row = (label: string) => screen.getByRole("treeitem", { name: new RegExp(`^${label},`) });

const ALL_ROWS = [
  "orders-api",
  "orders-api",
  "Initialization",
  "Invocation",
  "DynamoDB",
  "api.stripe.com",
  "Overhead",
];

describe("Waterfall", () => {
  it("shows every span in tree order with its name, depth and duration", () => {
    renderFailedInvocation();
    expect(rowLabels()).toEqual(ALL_ROWS);
    const [service, fn] = screen.getAllByRole("treeitem");
    expect(within(service!).getByText("AWS::Lambda")).toBeTruthy();
    expect(within(fn!).getByText("AWS::Lambda::Function")).toBeTruthy();
    expect(within(row("Initialization")).getByText("145.12 ms")).toBeTruthy();
    expect(within(row("Invocation")).getByText("102.25 ms")).toBeTruthy();
    expect(within(row("DynamoDB")).getByText("30.00 ms")).toBeTruthy();
    expect(within(row("api.stripe.com")).getByText("55.00 ms")).toBeTruthy();
    expect(row("Invocation").getAttribute("aria-level")).toBe("3");
    expect(row("DynamoDB").getAttribute("aria-level")).toBe("4");
  });

  it("marks the faulted and the throttled spans, and only them", () => {
    renderFailedInvocation();
    expect(within(row("Invocation")).getByText("Fault (5xx)")).toBeTruthy();
    expect(within(row("api.stripe.com")).getByText("Throttled (429)")).toBeTruthy();
    for (const label of ["Initialization", "DynamoDB", "Overhead"]) {
      expect(within(row(label)).queryByText(/Fault|Throttled|Error/)).toBeNull();
    }
  });

  it("opens on the span that carries the exception and shows its details", async () => {
    const { user } = renderFailedInvocation();
    const selected = screen.getAllByRole("treeitem", { selected: true });
    expect(selected.map((r) => within(r).getByText("AWS::Lambda::Function"))).toHaveLength(1);
    const details = screen.getByRole("complementary", { name: "Span details" });
    expect(within(details).getByText("card declined")).toBeTruthy();

    await user.click(within(row("DynamoDB")).getByText("DynamoDB"));
    expect(row("DynamoDB").getAttribute("aria-selected")).toBe("true");
    expect(screen.getAllByRole("treeitem", { selected: true })).toHaveLength(1);
    expect(within(details).getByRole("heading", { name: "DynamoDB" })).toBeTruthy();
  });

  it("hides a collapsed span's descendants and shows them again when expanded", async () => {
    const { user } = renderFailedInvocation();
    expect(row("Invocation").getAttribute("aria-expanded")).toBe("true");

    await user.click(screen.getByRole("button", { name: "Collapse Invocation" }));
    expect(rowLabels()).toEqual(["orders-api", "orders-api", "Initialization", "Invocation", "Overhead"]);
    expect(row("Invocation").getAttribute("aria-expanded")).toBe("false");

    await user.click(screen.getByRole("button", { name: "Expand Invocation" }));
    expect(rowLabels()).toEqual(ALL_ROWS);

    // Collapsing the root hides the whole trace below it; "Expand all" brings everything back.
    await user.click(screen.getAllByRole("button", { name: "Collapse orders-api" })[0]!);
    expect(rowLabels()).toEqual(["orders-api"]);
    await user.click(screen.getByRole("button", { name: "Expand all" }));
    expect(rowLabels()).toEqual(ALL_ROWS);
  });

  it("is one tab stop whose arrow keys move the selection and collapse and expand spans", async () => {
    const { tree, user } = renderFailedInvocation();
    await user.tab(); // the toolbar's "Expand all" ("Reset zoom" is disabled while not zoomed)
    await user.tab();
    expect(document.activeElement).toBe(tree);
    const active = () => document.getElementById(tree.getAttribute("aria-activedescendant") ?? "");

    // From the function segment (selected first) down to the Invocation phase.
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(active()).toBe(row("Invocation"));
    expect(row("Invocation").getAttribute("aria-selected")).toBe("true");

    await user.keyboard("{ArrowLeft}");
    expect(rowLabels()).toEqual(["orders-api", "orders-api", "Initialization", "Invocation", "Overhead"]);
    await user.keyboard("{ArrowRight}");
    expect(rowLabels()).toEqual(ALL_ROWS);

    // Right on an open span goes to its first child; Left on a leaf goes back to the parent.
    await user.keyboard("{ArrowRight}");
    expect(active()).toBe(row("DynamoDB"));
    await user.keyboard("{ArrowLeft}");
    expect(active()).toBe(row("Invocation"));

    await user.keyboard("{Enter}");
    expect(row("Invocation").getAttribute("aria-expanded")).toBe("false");
    await user.keyboard(" ");
    expect(row("Invocation").getAttribute("aria-expanded")).toBe("true");

    await user.keyboard("{End}");
    expect(active()).toBe(row("Overhead"));
    await user.keyboard("{Home}");
    expect(active()).toBe(screen.getAllByRole("treeitem")[0]);

    // A selected span hidden by a collapse: the keyboard stands on its collapsed ancestor.
    await user.click(within(row("DynamoDB")).getByText("DynamoDB"));
    await user.click(screen.getByRole("button", { name: "Collapse Invocation" }));
    expect(active()).toBe(row("Invocation"));
    expect(document.activeElement).toBe(tree);
    await user.keyboard("{ArrowDown}");
    expect(active()).toBe(row("Overhead"));

    // Tab leaves the tree: its rows' toggle buttons are for the pointer, not extra tab stops.
    await user.tab();
    expect(tree.contains(document.activeElement)).toBe(false);
  });
});
