import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { Select } from "./select";

function Harness({ onChange }: { onChange: (v: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <Select
      aria-label="Additional version"
      value={value}
      onValueChange={(v) => {
        setValue(v);
        onChange(v);
      }}
      options={[
        { value: "", label: "none" },
        { value: "7", label: "v7" },
        { value: "8", label: "v8" },
      ]}
    />
  );
}

describe("Select", () => {
  it('shows the "" option by its label and hands "" back when it is chosen', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    const box = screen.getByRole("combobox", { name: "Additional version" });
    expect(box.textContent).toContain("none");
    await user.click(box);
    await user.click(await screen.findByRole("option", { name: "v8" }));
    expect(onChange).toHaveBeenLastCalledWith("8");
    expect(box.textContent).toContain("v8");
    await user.click(box);
    await user.click(await screen.findByRole("option", { name: "none" }));
    expect(onChange).toHaveBeenLastCalledWith("");
    expect(box.textContent).toContain("none");
  });

  it("is operable from the keyboard and Escape closes it without a change", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    screen.getByRole("combobox", { name: "Additional version" }).focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("listbox")).toBeTruthy();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(onChange).not.toHaveBeenCalled();
  });

  const versions = [
    { value: "7", label: "v7" },
    { value: "8", label: "v8" },
  ];

  it("shows the chosen option's label in the server HTML and the first paint, without opening", () => {
    const el = <Select aria-label="Primary version" value="8" onValueChange={() => {}} options={versions} />;
    const html = renderToString(el);
    expect(html).toContain("v8");
    expect(html).not.toContain("v7");
    render(el);
    const box = screen.getByRole("combobox", { name: "Primary version" });
    expect(box.textContent).toContain("v8");
    expect(box.hasAttribute("data-placeholder")).toBe(false);
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("shows the placeholder when nothing is chosen", () => {
    const el = (
      <Select
        aria-label="New version"
        value=""
        onValueChange={() => {}}
        options={versions}
        placeholder="no candidate"
      />
    );
    expect(renderToString(el)).toContain("no candidate");
    render(el);
    const box = screen.getByRole("combobox", { name: "New version" });
    expect(box.textContent).toContain("no candidate");
    expect(box.hasAttribute("data-placeholder")).toBe(true);
  });

  it("shows a value that matches no option (a $LATEST primary) through the placeholder, and can still choose", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    const el = (
      <Select
        aria-label="Primary version"
        value="$LATEST"
        onValueChange={onChange}
        options={versions}
        placeholder="$LATEST"
      />
    );
    expect(renderToString(el)).toContain("$LATEST");
    render(el);
    const box = screen.getByRole("combobox", { name: "Primary version" });
    expect(box.textContent).toContain("$LATEST");
    await user.click(box);
    await user.click(await screen.findByRole("option", { name: "v7" }));
    expect(onChange).toHaveBeenLastCalledWith("7");
  });
});
