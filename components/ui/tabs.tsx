"use client";

import { Tabs as RadixTabs } from "radix-ui";
import type { ReactNode } from "react";

/**
 * Tabs on Radix: a tablist operated with arrow keys (roving focus), each tab controlling one panel.
 * Controlled or not: pass `value`/`onValueChange` to keep the chosen tab in the URL, `defaultValue` otherwise.
 * Inactive panels are unmounted (Radix default), so a heavy panel costs nothing until it is chosen.
 */
export interface TabItem {
  value: string;
  label: ReactNode;
  content: ReactNode;
  disabled?: boolean;
}

export function Tabs({
  items,
  label,
  value,
  defaultValue,
  onValueChange,
}: {
  items: readonly TabItem[];
  /** The tablist's accessible name ("Function views"). */
  label: string;
  value?: string;
  defaultValue?: string;
  onValueChange?: (value: string) => void;
}) {
  return (
    <RadixTabs.Root
      value={value}
      defaultValue={defaultValue ?? items[0]?.value}
      onValueChange={onValueChange}
      className="space-y-3"
    >
      <RadixTabs.List aria-label={label} className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {items.map((t) => (
          <RadixTabs.Trigger
            key={t.value}
            value={t.value}
            disabled={t.disabled}
            className="-mb-px rounded-t border-b-2 border-transparent px-3 py-1.5 text-sm text-zinc-600 outline-none hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500 disabled:opacity-40 data-[state=active]:border-sky-600 data-[state=active]:font-medium data-[state=active]:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 dark:data-[state=active]:text-zinc-100"
          >
            {t.label}
          </RadixTabs.Trigger>
        ))}
      </RadixTabs.List>
      {items.map((t) => (
        <RadixTabs.Content
          key={t.value}
          value={t.value}
          className="outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
        >
          {t.content}
        </RadixTabs.Content>
      ))}
    </RadixTabs.Root>
  );
}
