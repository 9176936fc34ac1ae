import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { SeverityBadge } from "./severity-badge";

describe("SeverityBadge", () => {
  it("keeps its title in the page as screen-reader text and is not a tab stop", async () => {
    const user = userEvent.setup();
    render(
      <div>
        <SeverityBadge severity="critical" title="Memory is at the limit" />
        <SeverityBadge severity="warning" count={2} title={"Timeout close\nOld runtime"} />
        <button type="button">After</button>
      </div>,
    );
    const [critical, warning] = document.querySelectorAll("[data-severity]");
    expect(critical!.textContent).toBe("critical: Memory is at the limit");
    expect(warning!.textContent).toBe("2 flags: Timeout close\nOld runtime");
    expect(screen.getByText(": Memory is at the limit").className).toContain("sr-only");
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "After" }));
  });

  it("shows the title as a tooltip on hover", async () => {
    const user = userEvent.setup();
    render(<SeverityBadge severity="info" title="Consider arm64" />);
    await user.hover(document.querySelector('[data-severity="info"]')!);
    expect((await screen.findByRole("tooltip")).textContent).toContain("Consider arm64");
  });

  it("without a title is the pill alone", () => {
    render(<SeverityBadge severity="warning" count={1} />);
    expect(document.querySelector("[data-severity]")!.textContent).toBe("1 flag");
  });
});
