/**
 * Shared checks for values that end up inside a query language. Every builder in lib/core/query runs user text
 * through one of these before quoting it, so a hostile value can only ever be data, never syntax.
 */
import { invalidInput } from "../errors";

/** C0/C1 controls other than TAB and LF, which each quoting function escapes or rejects itself. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/** A lone UTF-16 surrogate cannot be encoded as UTF-8 and would reach AWS as U+FFFD or an error. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const MAX_LITERAL_LENGTH = 1024;

export function assertSafeText(value: string, what: string): void {
  if (value.length > MAX_LITERAL_LENGTH) {
    throw invalidInput(`${what} is longer than ${MAX_LITERAL_LENGTH} characters.`);
  }
  if (CONTROL.test(value)) throw invalidInput(`${what} contains a control character.`);
  if (LONE_SURROGATE.test(value)) throw invalidInput(`${what} is not valid Unicode text.`);
}
