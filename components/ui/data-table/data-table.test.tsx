import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DataTable, type DataColumn, type DataTableSort } from "./data-table";

interface Fn {
  name: string;
  region: string;
  /** null: the console cannot back it. */
  p99: number | null;
}

const FUNCTIONS: Fn[] = [
  { name: "alpha", region: "us-east-1", p99: 300 },
  { name: "beta", region: "eu-west-1", p99: null },
  { name: "gamma", region: "us-east-1", p99: 100 },
  { name: "delta", region: "eu-west-1", p99: 200 },
];

/** Links the table followed (the test stands in for the router). */
let followed: string[] = [];

const COLUMNS: DataColumn<Fn>[] = [
  {
    id: "name",
    header: "Name",
    width: "10rem",
    sortValue: (f) => f.name,
    cell: (f) => (
      <a
        href={`/functions/${f.name}`}
        onClick={(e) => {
          e.preventDefault();
          followed.push(e.currentTarget.getAttribute("href") ?? "");
        }}
      >
        {f.name}
      </a>
    ),
  },
  { id: "region", header: "Region", width: "6rem", sortValue: (f) => f.region, cell: (f) => f.region },
  {
    id: "p99",
    header: "p99",
    width: "5rem",
    numeric: true,
    descFirst: true,
    sortValue: (f) => f.p99,
    cell: (f) => (f.p99 === null ? <span title="no REPORT lines">—</span> : `${f.p99} ms`),
  },
];

/** The table as a page uses it: the caller owns sort and search. */
function Harness({
  rows = FUNCTIONS,
  initialSort = { id: "name", desc: false },
}: {
  rows?: Fn[];
  initialSort?: DataTableSort;
}) {
  const [sort, setSort] = useState(initialSort);
  const [q, setQ] = useState("");
  return (
    <DataTable
      id="test"
      label="Functions"
      noun="functions"
      rows={rows}
      columns={COLUMNS}
      rowId={(f) => `${f.region}/${f.name}`}
      sort={sort}
      onSortChange={setSort}
      search={{
        inputId: "search",
        label: "Search functions",
        placeholder: "Search…",
        value: q,
        onChange: setQ,
        text: (f) => f.name,
      }}
      rowHeight={30}
      heightClassName="h-96"
      empty={{ none: "No functions.", noMatch: "No function matches." }}
    />
  );
}

const table = () => screen.getByRole("table", { name: "Functions" });
/** The function names in the order a user sees the rows. */
const shownNames = () =>
  within(table())
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getByRole("link").textContent);
const bodyRows = () => within(table()).getAllByRole("row").slice(1);

// happy-dom has no layout: give the scroll box a height, so the virtualizer has a window of rows to render.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 400 });
});
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, "clientHeight", clientHeight);
});

beforeEach(() => {
  followed = [];
  window.localStorage.clear();
});

describe("DataTable", () => {
  it("sorts by a column when its header is clicked, and says so with aria-sort", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    expect(shownNames()).toEqual(["alpha", "beta", "delta", "gamma"]);

    const p99 = screen.getByRole("columnheader", { name: /p99/ });
    expect(p99.getAttribute("aria-sort")).toBe("none");
    await user.click(within(p99).getByRole("button"));
    // A telemetry column sorts worst first on the first click.
    expect(p99.getAttribute("aria-sort")).toBe("descending");
    expect(screen.getByRole("columnheader", { name: /Name/ }).getAttribute("aria-sort")).toBe("none");
    expect(shownNames()).toEqual(["alpha", "delta", "gamma", "beta"]);

    await user.click(within(p99).getByRole("button"));
    expect(p99.getAttribute("aria-sort")).toBe("ascending");
    expect(shownNames()).toEqual(["gamma", "delta", "alpha", "beta"]);
  });

  it("sorts a value the console cannot back last in both directions, shown absent rather than 0", async () => {
    const user = userEvent.setup();
    render(<Harness initialSort={{ id: "p99", desc: false }} />);
    expect(shownNames().at(-1)).toBe("beta");
    await user.click(within(screen.getByRole("columnheader", { name: /p99/ })).getByRole("button"));
    expect(shownNames().at(-1)).toBe("beta");
    const beta = bodyRows().at(-1);
    expect(beta && within(beta).getByTitle("no REPORT lines").textContent).toBe("—");
  });

  it("sorts names naturally and keeps ties in row-id order in both directions", async () => {
    const user = userEvent.setup();
    const rows = [
      { name: "fn-10", region: "us-east-1", p99: 50 },
      { name: "fn-2", region: "us-east-1", p99: 90 },
      { name: "fn-1", region: "eu-west-1", p99: 50 },
    ];
    render(<Harness rows={rows} />);
    expect(shownNames()).toEqual(["fn-1", "fn-2", "fn-10"]);
    const p99 = within(screen.getByRole("columnheader", { name: /p99/ })).getByRole("button");
    await user.click(p99);
    expect(shownNames()).toEqual(["fn-2", "fn-1", "fn-10"]);
    await user.click(p99);
    expect(shownNames()).toEqual(["fn-1", "fn-10", "fn-2"]);
  });

  it("narrows the rows to those matching every search term, and counts them", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByRole("searchbox", { name: "Search functions" }), "ta");
    expect(shownNames()).toEqual(["beta", "delta"]);
    expect(screen.getByText("2 of 4 functions")).toBeTruthy();
    await user.type(screen.getByRole("searchbox", { name: "Search functions" }), " zzz");
    expect(screen.getByText("No function matches.")).toBeTruthy();
  });

  it("hides a column from the column menu, and remembers it", async () => {
    const user = userEvent.setup();
    const { unmount } = render(<Harness />);
    expect(screen.getByRole("columnheader", { name: /Region/ })).toBeTruthy();
    await user.click(screen.getByText("Columns"));
    expect((screen.getByRole("checkbox", { name: "Name" }) as HTMLInputElement).disabled).toBe(true);
    await user.click(screen.getByRole("checkbox", { name: "Region" }));
    expect(screen.queryByRole("columnheader", { name: /Region/ })).toBeNull();
    expect(within(table()).queryByText("us-east-1")).toBeNull();
    expect(within(bodyRows()[0]!).getAllByRole("cell")).toHaveLength(2);

    unmount();
    render(<Harness />);
    expect(screen.queryByRole("columnheader", { name: /Region/ })).toBeNull();
  });

  it("moves focus between rows with the arrow keys and follows the row's link with Enter", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    // One Tab stop for the whole body: the first row.
    const tabbable = bodyRows().filter((r) => r.tabIndex === 0);
    expect(tabbable.map((r) => within(r).getByRole("link").textContent)).toEqual(["alpha"]);

    tabbable[0]!.focus();
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(bodyRows()[1]);
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowDown}");
    expect(document.activeElement).toBe(bodyRows()[3]);
    await user.keyboard("{ArrowUp}");
    expect(document.activeElement).toBe(bodyRows()[2]);
    expect(bodyRows().filter((r) => r.tabIndex === 0)).toEqual([bodyRows()[2]]);

    await user.keyboard("{Enter}");
    expect(followed).toEqual(["/functions/delta"]);
    await user.keyboard("{Home} ");
    expect(followed).toEqual(["/functions/delta", "/functions/alpha"]);
  });
});
