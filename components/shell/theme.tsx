"use client";

import { Tooltip } from "@/components/ui/tooltip";
import { THEME_STORAGE_KEY as STORAGE_KEY } from "./theme-script";

export function ThemeToggle() {
  const toggle = () => {
    const dark = !document.documentElement.classList.contains("dark");
    document.documentElement.classList.toggle("dark", dark);
    try {
      localStorage.setItem(STORAGE_KEY, dark ? "dark" : "light");
    } catch {
      // Private mode or storage disabled: the toggle still works for this page.
    }
  };
  return (
    <Tooltip content="Toggle dark mode" side="bottom">
      <button
        type="button"
        onClick={toggle}
        aria-label="Toggle dark mode"
        className="rounded-md border border-zinc-200 px-2 py-1 text-sm text-zinc-600 outline-none hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-700 dark:text-zinc-300 dark:hover:text-zinc-50"
      >
        <span className="dark:hidden" aria-hidden>
          ☾
        </span>
        <span className="hidden dark:inline" aria-hidden>
          ☀
        </span>
      </button>
    </Tooltip>
  );
}
