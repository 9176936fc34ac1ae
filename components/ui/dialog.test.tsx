import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { Button } from "./button";
import { ConfirmDialog, Dialog } from "./dialog";

/** Opens the dialog from state, as the console does: no Radix trigger. */
function Harness({ onConfirm = () => {} }: { onConfirm?: () => void }) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Show details</Button>
      <Button onClick={() => setConfirming(true)}>Revoke</Button>
      <Dialog open={open} onOpenChange={setOpen} title="Details" description="More about it.">
        <p>Body text</p>
      </Dialog>
      <ConfirmDialog
        open={confirming}
        title="Revoke everything?"
        description="Everyone signs in again."
        confirmLabel="Revoke all"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={onConfirm}
      />
    </>
  );
}

describe("Dialog", () => {
  it("opens with its title as the name, closes on Escape and gives focus back to the opener", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    expect(screen.queryByRole("dialog")).toBeNull();
    const opener = screen.getByRole("button", { name: "Show details" });
    await user.click(opener);
    const dialog = screen.getByRole("dialog", { name: "Details" });
    expect(dialog.textContent).toContain("Body text");
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("keeps Tab inside while open", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole("button", { name: "Show details" }));
    const dialog = screen.getByRole("dialog", { name: "Details" });
    for (let i = 0; i < 3; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
  });
});

describe("ConfirmDialog", () => {
  it("is an alertdialog with Cancel focused first; Cancel closes without confirming and returns focus", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<Harness onConfirm={onConfirm} />);
    const opener = screen.getByRole("button", { name: "Revoke" });
    await user.click(opener);
    const dialog = screen.getByRole("alertdialog", { name: "Revoke everything?" });
    expect(dialog.textContent).toContain("Everyone signs in again.");
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel" }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(opener);
  });

  it("closes on Escape without confirming, and confirms only on the explicit button", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<Harness onConfirm={onConfirm} />);
    await user.click(screen.getByRole("button", { name: "Revoke" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Revoke" }));
    await user.click(screen.getByRole("button", { name: "Revoke all" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
