"use client";

import { Select as RadixSelect } from "radix-ui";
import { useId } from "react";

/**
 * A single-choice dropdown on Radix Select: a combobox button and a listbox of options, keyboard-operable
 * (arrows, type-ahead, Enter, Escape) and styled once here, light and dark.
 *
 * Invariants:
 * - `value` is one of `options`' values, or "" for "nothing chosen". Radix reserves "" for clearing, so an
 *   option whose value is "" (e.g. "none") is mapped to a private sentinel inside and back to "" outside.
 * - The closed control's text is rendered here, not looked up by Radix (which learns its items only after they
 *   mount, so the server HTML and first paint would be blank): the matching option's label, else `placeholder`.
 *   A `value` that matches no option (e.g. "$LATEST" among published versions) is "nothing chosen" for Radix.
 * - The accessible name comes from `label` (a visible <label> tied by id) or `aria-label`; one is required.
 * - With `name`, Radix renders a hidden native <select> so the value is submitted with a GET/POST form.
 */
export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectProps {
  value: string;
  onValueChange: (value: string) => void;
  options: readonly SelectOption[];
  /** Shown in the closed control when `value` matches no option. */
  placeholder?: string;
  disabled?: boolean;
  name?: string;
  id?: string;
  className?: string;
  "aria-label"?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}

const EMPTY = "fleetscope:none";
const inward = (v: string) => (v === "" ? EMPTY : v);
const outward = (v: string) => (v === EMPTY ? "" : v);

export const selectTriggerClass =
  "inline-flex min-w-24 items-center justify-between gap-2 rounded border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 outline-none " +
  "focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-offset-1 data-[placeholder]:text-zinc-500 " +
  "aria-[invalid=true]:border-red-600 disabled:cursor-not-allowed disabled:opacity-50 " +
  "dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:focus-visible:ring-offset-zinc-950";

export function Select({
  value,
  onValueChange,
  options,
  placeholder,
  disabled,
  name,
  id,
  className,
  ...aria
}: SelectProps) {
  const fallbackId = useId();
  const selected = options.find((o) => o.value === value);
  return (
    <RadixSelect.Root
      value={selected ? inward(selected.value) : ""}
      onValueChange={(v) => onValueChange(outward(v))}
      disabled={disabled}
      name={name}
    >
      <RadixSelect.Trigger
        id={id ?? fallbackId}
        aria-label={aria["aria-label"]}
        aria-describedby={aria["aria-describedby"]}
        aria-invalid={aria["aria-invalid"] || undefined}
        className={`${selectTriggerClass} ${className ?? ""}`.trim()}
      >
        <RadixSelect.Value placeholder={placeholder}>{selected?.label}</RadixSelect.Value>
        <RadixSelect.Icon aria-hidden className="text-xs text-zinc-500">
          ▾
        </RadixSelect.Icon>
      </RadixSelect.Trigger>
      <RadixSelect.Portal>
        <RadixSelect.Content
          position="popper"
          sideOffset={4}
          className="z-50 max-h-[var(--radix-select-content-available-height)] min-w-[var(--radix-select-trigger-width)] overflow-hidden rounded-md border border-zinc-200 bg-white text-sm text-zinc-900 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        >
          <RadixSelect.Viewport className="p-1">
            {options.map((o) => (
              <RadixSelect.Item
                key={o.value}
                value={inward(o.value)}
                disabled={o.disabled}
                className="relative flex cursor-default select-none items-center rounded py-1 pl-6 pr-2 outline-none data-[disabled]:opacity-40 data-[highlighted]:bg-sky-100 data-[highlighted]:text-sky-900 dark:data-[highlighted]:bg-sky-900 dark:data-[highlighted]:text-sky-50"
              >
                <RadixSelect.ItemIndicator className="absolute left-1.5 text-xs">✓</RadixSelect.ItemIndicator>
                <RadixSelect.ItemText>{o.label}</RadixSelect.ItemText>
              </RadixSelect.Item>
            ))}
          </RadixSelect.Viewport>
        </RadixSelect.Content>
      </RadixSelect.Portal>
    </RadixSelect.Root>
  );
}
