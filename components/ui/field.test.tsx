import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Field, Input } from "./field";

/** What a screen reader announces with the control: the texts its aria-describedby points to. */
const description = (el: HTMLElement) =>
  (el.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent)
    .join(" | ");

describe("Field", () => {
  it("names the control by its label and describes it by its hint", () => {
    render(
      <Field label="Reason" hint="Kept in the audit log.">
        {(c) => <Input {...c} />}
      </Field>,
    );
    const input = screen.getByRole("textbox", { name: "Reason" });
    expect(description(input)).toBe("Kept in the audit log.");
    expect(input.getAttribute("aria-invalid")).toBeNull();
  });

  it("with an error, marks the control invalid and adds the error to its description", () => {
    render(
      <Field label="Weight" hint="0–100" error="The weight must be between 0 % and 100 %.">
        {(c) => <Input {...c} />}
      </Field>,
    );
    const input = screen.getByRole("textbox", { name: "Weight" });
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(description(input)).toBe("0–100 | The weight must be between 0 % and 100 %.");
  });
});
