import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Tooltip } from "./tooltip";

describe("Tooltip", () => {
  it("shows its text when the trigger gets keyboard focus, as the trigger's description, and hides on Escape", async () => {
    const user = userEvent.setup();
    render(
      <Tooltip content="FLEETSCOPE_READ_ONLY is set">
        <button type="button">Read-only</button>
      </Tooltip>,
    );
    expect(screen.queryByRole("tooltip")).toBeNull();
    await user.tab();
    const tip = await screen.findByRole("tooltip");
    expect(tip.textContent).toContain("FLEETSCOPE_READ_ONLY is set");
    const trigger = screen.getByRole("button", { name: "Read-only" });
    expect(trigger.getAttribute("aria-describedby")).toBe(tip.id);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("tooltip")).toBeNull();
  });

  it("renders untrusted text as text", async () => {
    const user = userEvent.setup();
    render(
      <Tooltip content={"<img src=x onerror=alert(1)>"}>
        <button type="button">Pattern</button>
      </Tooltip>,
    );
    await user.tab();
    const tip = await screen.findByRole("tooltip");
    expect(tip.querySelector("img")).toBeNull();
    expect(tip.textContent).toContain("<img src=x onerror=alert(1)>");
  });
});
