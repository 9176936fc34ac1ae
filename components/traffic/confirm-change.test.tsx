import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ConfirmChange, type ChangePreview } from "./confirm-change";

const apply: ChangePreview = {
  action: "Apply",
  before: "v12 100%",
  after: "v12 70% / v13 30%",
  revisionId: "rev-41",
};

describe("ConfirmChange", () => {
  it("names the change, shows before, after and the revision, and confirms only on its button", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(<ConfirmChange preview={apply} busy={false} onConfirm={onConfirm} onCancel={onCancel} />);
    const dialog = screen.getByRole("alertdialog", { name: "Confirm: Apply" });
    expect(within(dialog).getByTestId("confirm-before").textContent).toBe("v12 100%");
    expect(within(dialog).getByTestId("confirm-after").textContent).toBe("v12 70% / v13 30%");
    expect(within(dialog).getByTestId("confirm-revision").textContent).toBe("rev-41");
    expect(dialog.textContent).toContain("AWS refuses the change");
    await user.click(within(dialog).getByRole("button", { name: "Confirm Apply" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onCancel).not.toHaveBeenCalled();
  });

  it("cancels on Escape and on Cancel, sending nothing", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(<ConfirmChange preview={apply} busy={false} onConfirm={onConfirm} onCancel={onCancel} />);
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onCancel).toHaveBeenCalledTimes(2);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("while sending, says so and cannot be confirmed again or dismissed", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(<ConfirmChange preview={apply} busy onConfirm={onConfirm} onCancel={onCancel} />);
    const sending = screen.getByRole("button", { name: "Sending…" });
    expect(sending).toHaveProperty("disabled", true);
    expect(screen.getByRole("button", { name: "Cancel" })).toHaveProperty("disabled", true);
    await user.keyboard("{Escape}");
    expect(onCancel).not.toHaveBeenCalled();
    expect(screen.getByRole("alertdialog")).toBeTruthy();
  });

  it("an abort has no revision and says the alias is read again; a dangerous change carries its note", () => {
    render(
      <ConfirmChange
        preview={{
          action: "Abort plan and roll back",
          before: "v12 90% / v13 10% (as this page loaded)",
          after: "v12 100%",
          revisionId: null,
          danger: true,
          note: "Overriding a failing verdict: errors 4.1 % vs 0.2 %",
        }}
        busy={false}
        onConfirm={() => {}}
        onCancel={() => {}}
      />,
    );
    const dialog = screen.getByRole("alertdialog", { name: "Confirm: Abort plan and roll back" });
    expect(within(dialog).queryByTestId("confirm-revision")).toBeNull();
    expect(dialog.textContent).toContain("the alias is then read again");
    expect(dialog.textContent).toContain("Overriding a failing verdict: errors 4.1 % vs 0.2 %");
    expect(within(dialog).getByRole("button", { name: "Confirm Abort plan and roll back" })).toBeTruthy();
  });
});
