/**
 * What is wrong with a URL parameter the page corrected, said next to that parameter's control in one short line.
 * The control names it with aria-describedby={id}, so a screen reader reads the problem with the control.
 *
 * `floating`: for the header, whose row has a fixed height: the line hangs under the control (absolute, the
 * control's wrapper is `relative`), truncated to one line with the whole text in its tooltip (title) and in the
 * accessible text; `floating="end"` hangs it from the control's right edge (growing left), "start" from its left
 * edge, so two neighbours' lines never overlap. Otherwise it flows under the field like any hint.
 */
export function UrlProblem({
  id,
  message,
  floating,
}: {
  id: string;
  message: string | null;
  floating?: "start" | "end";
}) {
  if (!message) return null;
  const place = floating
    ? `absolute ${floating === "end" ? "right-0" : "left-0"} top-full z-10 mt-1 max-w-72 truncate whitespace-nowrap rounded bg-amber-50 px-1.5 py-0.5 shadow-sm ring-1 ring-amber-300 dark:bg-amber-950 dark:ring-amber-800`
    : "max-w-md";
  return (
    <p
      id={id}
      role="status"
      title={message}
      data-testid="url-problem"
      className={`text-[11px] leading-4 text-amber-800 dark:text-amber-300 ${place}`}
    >
      <span aria-hidden>⚠ </span>
      {message}
    </p>
  );
}
