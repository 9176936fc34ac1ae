import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WeightEditor, type WeightEditorProps } from "./weight-editor";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));

const fetchSpy = vi.fn();
beforeEach(() => {
  fetchSpy.mockReset();
  vi.stubGlobal("fetch", fetchSpy);
});
afterEach(() => vi.unstubAllGlobals());

const props: WeightEditorProps = {
  account: "111111111111",
  region: "us-east-1",
  functionName: "orders-api",
  alias: "live",
  primaryVersion: "12",
  additionalVersion: "13",
  weightPercent: 30,
  revisionId: "rev-41",
  configured: "v12 70% / v13 30%",
  publishedVersions: ["11", "12", "13"],
  aliasHasProvisionedConcurrency: false,
  canChange: true,
  disabledReason: null,
  verdict: Promise.resolve(null),
};

async function renderEditor(over: Partial<WeightEditorProps> = {}) {
  // The verdict streams in through Suspense: let it settle so the buttons show their final state.
  await act(async () => {
    render(<WeightEditor {...props} {...over} />);
  });
  return { user: userEvent.setup(), weight: screen.getByLabelText("Weight percent") };
}

/** What a screen reader announces with the control: the texts its aria-describedby points to. */
function description(el: HTMLElement): string {
  return (el.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}

const apply = () => screen.getByRole("button", { name: "Apply" });
const preview = () => screen.getByTestId("routing-preview").textContent;

async function typeWeight(user: ReturnType<typeof userEvent.setup>, weight: HTMLElement, text: string) {
  await user.clear(weight);
  if (text) await user.type(weight, text);
}

describe("WeightEditor validation, as the operator sees it", () => {
  it("starts valid: the configured weight, a preview of what is sent, Apply enabled", async () => {
    const { weight } = await renderEditor();
    expect(weight).toHaveProperty("value", "30");
    expect(weight.getAttribute("aria-invalid")).toBeNull();
    expect(preview()).toBe("v12 70% / v13 30%");
    expect(apply()).toHaveProperty("disabled", false);
  });

  it.each([
    ["150", "The weight must be between 0 % and 100 %."],
    ["-1", "The weight must be between 0 % and 100 %."],
    ["abc", '"abc" is not a number of percent.'],
    ["12.345", "The weight takes at most 2 decimals of a percent"],
    ["", "Enter the weight of the additional version in percent."],
  ])("refuses %j with the reason tied to the field and Apply disabled", async (text, reason) => {
    const { user, weight } = await renderEditor();
    await typeWeight(user, weight, text);
    expect(weight.getAttribute("aria-invalid")).toBe("true");
    expect(description(weight)).toContain(reason);
    expect(screen.getByText(reason, { exact: false })).toBeTruthy();
    expect(apply()).toHaveProperty("disabled", true);
    expect(preview()).toBe("—");
  });

  it("a valid weight after an invalid one clears the error and enables Apply, which asks before sending", async () => {
    const { user, weight } = await renderEditor();
    await typeWeight(user, weight, "150");
    expect(apply()).toHaveProperty("disabled", true);
    await typeWeight(user, weight, "12.5");
    expect(weight.getAttribute("aria-invalid")).toBeNull();
    expect(description(weight)).not.toContain("between");
    expect(preview()).toBe("v12 87.5% / v13 12.5%");
    expect(apply()).toHaveProperty("disabled", false);

    await user.click(apply());
    const dialog = screen.getByRole("alertdialog", { name: "Confirm: Apply" });
    expect(within(dialog).getByTestId("confirm-after").textContent).toBe("v12 87.5% / v13 12.5%");
    expect(within(dialog).getByTestId("confirm-revision").textContent).toBe("rev-41");
    // Cancel sends nothing and gives the form back.
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(apply()).toHaveProperty("disabled", false);
    expect(document.activeElement).toBe(apply());
  });

  it("confirming sends the previewed change and reports it", async () => {
    fetchSpy.mockResolvedValue(
      new Response(JSON.stringify({ result: { revisionId: "rev-42" } }), {
        status: 200,
        headers: { "content-type": "application/json" },
      }),
    );
    const { user, weight } = await renderEditor();
    await typeWeight(user, weight, "40");
    await user.click(apply());
    await user.click(screen.getByRole("button", { name: "Confirm Apply" }));
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [url, init] = fetchSpy.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/traffic/shift");
    expect(JSON.parse(String(init.body))).toMatchObject({
      // The alias's account goes with the change: the server changes it in that account, through its role.
      account: "111111111111",
      region: "us-east-1",
      primaryVersion: "12",
      additionalVersion: "13",
      weightPercent: 40,
      revisionId: "rev-41",
    });
    expect((await screen.findByRole("status")).textContent).toBe("Applied: v12 60% / v13 40%.");
    expect(refresh).toHaveBeenCalled();
  });

  it("the same version twice is refused under Additional version", async () => {
    const { user } = await renderEditor();
    const extra = screen.getByRole("combobox", { name: "Additional version" });
    await user.click(extra);
    await user.click(await screen.findByRole("option", { name: "12" }));
    expect(extra.getAttribute("aria-invalid")).toBe("true");
    expect(description(extra)).toContain("must differ from the primary version");
    expect(apply()).toHaveProperty("disabled", true);
  });

  it("with no additional version the weight is not read, and everything goes to the primary", async () => {
    const { user, weight } = await renderEditor();
    await typeWeight(user, weight, "abc");
    await user.click(screen.getByRole("combobox", { name: "Additional version" }));
    await user.click(await screen.findByRole("option", { name: "none" }));
    expect(weight.getAttribute("aria-invalid")).toBeNull();
    expect(preview()).toBe("v12 100%");
    expect(apply()).toHaveProperty("disabled", false);
  });
});
