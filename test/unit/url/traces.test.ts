/** Trace list and trace page URL state with several accounts: narrowing to one account, and links that carry it. */
import { describe, expect, it } from "vitest";
import { mapHref } from "@/lib/url/map";
import {
  edgeTracesHref,
  loadTraceListParams,
  nodeTracesHref,
  olderTracesHref,
  traceHref,
} from "@/lib/url/traces";

const REGIONS = ["us-east-1", "eu-west-1"];
const KNOWN = ["111111111111", "222222222222"];
const MEMBER = { account: "222222222222", region: "eu-west-1" };
const TRACE = "1-5759e988-bd862e3fe1be46a994272793";

describe("trace list URL state", () => {
  it("narrows to one account the console reads", () => {
    const p = loadTraceListParams({ account: " 222222222222 ", region: "eu-west-1" }, REGIONS, KNOWN);
    expect(p.account).toBe("222222222222");
    expect(p.problems).toEqual({});
  });

  it("ignores and says an account it does not read, listing the selected accounts instead", () => {
    const p = loadTraceListParams({ account: "333333333333" }, REGIONS, KNOWN);
    expect(p.account).toBeUndefined();
    expect(p.problems.account).toBe(
      'Account "333333333333" is not one Fleetscope reads: listing the selected accounts.',
    );
    expect(loadTraceListParams({ account: "" }, REGIONS, KNOWN).problems).toEqual({});
  });

  it("pages one account's list: older traces narrow to it and keep filters and shell", () => {
    const current = new URLSearchParams(
      "accounts=111111111111,222222222222&range=3h&faults=1&region=eu-west-1",
    );
    const href = olderTracesHref(current, "222222222222", "tok/en");
    const q = new URL(href, "http://x").searchParams;
    expect(q.get("account")).toBe("222222222222");
    expect(q.get("next")).toBe("tok/en");
    expect(q.get("faults")).toBe("1");
    expect(q.get("range")).toBe("3h");
    const p = loadTraceListParams(q, REGIONS, KNOWN);
    expect([p.account, p.next, p.region]).toEqual(["222222222222", "tok/en", "eu-west-1"]);
  });
});

describe("links that carry the account", () => {
  it("a trace opens in its account and region", () => {
    expect(traceHref(TRACE, MEMBER)).toBe(`/traces/${TRACE}?account=222222222222&region=eu-west-1`);
  });

  it("service map node and edge links list that account's traces", () => {
    const range = new URLSearchParams("range=6h");
    const node = new URL(
      nodeTracesHref({ type: "AWS::Lambda::Function", name: "orders" }, MEMBER, range),
      "http://x",
    );
    expect([node.pathname, node.searchParams.get("account"), node.searchParams.get("region")]).toEqual([
      "/traces",
      "222222222222",
      "eu-west-1",
    ]);
    const edge = new URL(
      edgeTracesHref(
        { type: "AWS::Lambda", name: "orders" },
        { type: "AWS::Lambda::Function", name: "orders" },
        MEMBER,
        range,
      ),
      "http://x",
    );
    const p = loadTraceListParams(edge.searchParams, REGIONS, KNOWN);
    expect(p.account).toBe("222222222222");
    expect(p.filter.edge?.to.name).toBe("orders");
    expect(edge.searchParams.get("range")).toBe("6h");
  });

  it("the service map link names its account", () => {
    expect(mapHref(MEMBER, "orders")).toBe("/map?account=222222222222&region=eu-west-1&function=orders");
  });
});
