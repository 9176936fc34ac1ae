import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Notice } from "./notice";

describe("Notice", () => {
  it("announces an error as an alert with its title and text", () => {
    render(
      <Notice tone="error" title="Could not read the fleet">
        Access denied in eu-west-1
      </Notice>,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveProperty("textContent", "Could not read the fleetAccess denied in eu-west-1");
  });

  it("renders log text as text, never as markup", () => {
    render(<Notice title="Line">{"<img src=x onerror=alert(1)>"}</Notice>);
    expect(screen.getByRole("status").querySelector("img")).toBeNull();
    expect(screen.getByText("<img src=x onerror=alert(1)>")).toBeTruthy();
  });
});
