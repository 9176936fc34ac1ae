import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { LIST_HEALTH_LABEL } from "@/lib/core/traffic/alias-list";
import { HealthBadge } from "./health-badge";

const why = "v13 fails 15% of requests. because its error rate is 15.0% against 0.2% on v12";

describe("HealthBadge", () => {
  it("keeps the reason in the page without hover, as the badge's screen-reader text", () => {
    render(<HealthBadge health="failing" title={why} />);
    const badge = document.querySelector('[data-health="failing"]')!;
    expect(badge.textContent).toBe(`✖ ${LIST_HEALTH_LABEL.failing}: ${why}`);
    // Visually hidden, not absent: the reason is text in the badge, not a tooltip that exists only while open.
    expect(screen.getByText(`: ${why}`).className).toContain("sr-only");
    expect(screen.queryByRole("tooltip")).toBeNull();
  });

  it("adds no tab stop per badge: Tab goes from before the rows straight past them", async () => {
    const user = userEvent.setup();
    render(
      <div>
        <button type="button">Filter</button>
        <table>
          <tbody>
            {(["failing", "degraded", "healthy"] as const).map((h) => (
              <tr key={h}>
                <td>
                  <HealthBadge health={h} title={`${h}: ${why}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button">Next</button>
      </div>,
    );
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Filter" }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Next" }));
    for (const badge of document.querySelectorAll("[data-health]"))
      expect(badge.hasAttribute("tabindex")).toBe(false);
  });

  it("still shows the reason as a tooltip on hover", async () => {
    const user = userEvent.setup();
    render(<HealthBadge health="degraded" title={why} />);
    await user.hover(document.querySelector('[data-health="degraded"]')!);
    expect((await screen.findByRole("tooltip")).textContent).toContain(why);
  });

  it("without a reason is the label alone", () => {
    render(<HealthBadge health="healthy" />);
    expect(document.querySelector('[data-health="healthy"]')!.textContent).toBe(LIST_HEALTH_LABEL.healthy);
  });
});
