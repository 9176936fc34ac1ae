import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { KindBadge, KIND_LABEL, LOGGED_HINT } from "./kind-badge";

describe("KindBadge", () => {
  it("explains a Logged group in the page without hover, and is not a tab stop", async () => {
    const user = userEvent.setup();
    render(
      <div>
        <KindBadge kind="logged" />
        <KindBadge kind="timeout" />
        <button type="button">After</button>
      </div>,
    );
    const [logged, timeout] = screen.getAllByTestId("error-kind");
    expect(logged!.textContent).toBe(`${KIND_LABEL.logged}: ${LOGGED_HINT}`);
    expect(screen.getByText(`: ${LOGGED_HINT}`).className).toContain("sr-only");
    expect(timeout!.textContent).toBe(KIND_LABEL.timeout);
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "After" }));
  });

  it("shows the hint as a tooltip on hover", async () => {
    const user = userEvent.setup();
    render(<KindBadge kind="logged" />);
    await user.hover(screen.getByTestId("error-kind"));
    expect((await screen.findByRole("tooltip")).textContent).toContain(LOGGED_HINT);
  });
});
