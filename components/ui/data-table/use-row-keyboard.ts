/**
 * Keyboard navigation of a virtualized table's rows, as a roving tabindex: exactly one rendered row is in the Tab
 * order; ArrowUp/ArrowDown, PageUp/PageDown, Home/End move focus between rows (scrolling the virtualizer so the
 * target row is rendered before it is focused); Enter or Space on a focused row follows the row's first link
 * (clicking it, so client-side navigation and pending state behave as for a mouse click).
 * Invariants: keys are handled only when the row itself has focus, so a focused link or button inside a row
 * keeps its own behaviour; the active index is clamped to the current row count.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";

const PAGE = 10;

interface Scroller {
  scrollToIndex: (index: number) => void;
}

export function useRowKeyboard({
  count,
  scrollRef,
  virtualizer,
  firstRendered,
}: {
  count: number;
  scrollRef: RefObject<HTMLElement | null>;
  virtualizer: Scroller;
  /** Index of the first rendered row: the Tab stop when the active row is scrolled out of the DOM. */
  firstRendered: number;
}) {
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const active = Math.max(0, Math.min(activeIndex, count - 1));

  // After each render: focus the row a key moved to, once the virtualizer has rendered it.
  useEffect(() => {
    const target = pendingFocus.current;
    if (target === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${target}"]`);
    if (!el) return;
    pendingFocus.current = null;
    el.focus({ preventScroll: true });
  });

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(index, count - 1));
    setActiveIndex(next);
    pendingFocus.current = next;
    virtualizer.scrollToIndex(next);
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLElement>, index: number) => {
    if (event.target !== event.currentTarget) return;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + PAGE,
      PageUp: index - PAGE,
      Home: 0,
      End: count - 1,
    };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      moveTo(to);
    } else if (event.key === "Enter" || event.key === " ") {
      const link = event.currentTarget.querySelector<HTMLAnchorElement>("a[href]");
      if (!link) return;
      event.preventDefault();
      link.click();
    }
  };

  /** Props of the row at `index`; `rendered` tells whether the active row is in the DOM. */
  const rowProps = (index: number, activeRendered: boolean) => ({
    tabIndex: index === (activeRendered ? active : firstRendered) ? 0 : -1,
    "data-row-index": index,
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => onRowKeyDown(e, index),
    onFocus: (e: { target: EventTarget; currentTarget: EventTarget }) => {
      if (e.target === e.currentTarget && index !== activeIndex) setActiveIndex(index);
    },
  });

  return { active, rowProps };
}
