/**
 * Normalizing an error for grouping: the message's first line with its variable parts masked (the pattern), the
 * top in-app stack frame without line:column (the frame), and the fingerprint of a group.
 *
 * Invariants:
 * - Total on any string (huge, binary, hostile): inputs are cut before any regex runs (MAX_SCAN), every regex
 *   is linear (no nested quantifiers), and control characters never reach a pattern or a sample.
 * - The same site with different ids inside (uuids, hex ids, prefixed ids such as ch_… / cus_… / req-… /
 *   user_42 / item#ab12, numbers with or without a unit (1523ms, 12KB, 45%), other words with a digit that do
 *   not read as names, quoted values, ARNs, emails, URLs' paths and queries) gives the same pattern; the error
 *   type and the words around the ids are kept (a word of letters and one digit run is a name: S3Exception,
 *   Http503, base64), so different sites give different patterns.
 * - Masks are `<…>` tokens that no later mask matches, so normalizing a pattern again changes nothing.
 */

/** Characters of a message any regex here sees: a first line longer than this is cut. */
const MAX_SCAN = 2_000;
/** Longest pattern kept (a group key, shown as the group's title). */
const MAX_PATTERN = 300;
export const MAX_SAMPLE = 1_000;

/** C0/C1 controls except tab and newline, DEL, and lone surrogates become U+FFFD; tabs become spaces. */
export function sanitize(text: string, max: number): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  return cut
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\ufffd")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .replace(/\t/g, " ");
}

/** The first non-blank line, trimmed and cut to MAX_SCAN characters. */
export function firstLine(message: string): string {
  const head = message.length > MAX_SCAN * 4 ? message.slice(0, MAX_SCAN * 4) : message;
  for (const line of head.split(/\r?\n/)) {
    const t = line.trim();
    if (t !== "") return t.length > MAX_SCAN ? t.slice(0, MAX_SCAN) : t;
  }
  return "";
}

/**
 * A long word that is a name rather than an opaque id: one digit run, and every run of lower-case letters at
 * least 3 long (words, not the scattered lower-case letters of a random base62 id such as Nf8aK2pQ0xY4).
 */
function isCamelName(word: string): boolean {
  return (
    /^[A-Za-z]*\d+[A-Za-z]*$/.test(word) &&
    /[a-z]{3}/.test(word) &&
    !/(?<![a-z])[a-z]{1,2}(?![a-z])/.test(word)
  );
}

const MASKS: readonly [RegExp, string | ((m: string, ...groups: string[]) => string)][] = [
  // URLs: keep scheme and host (which service was called), mask the path and query (ids live there).
  [
    /\b(https?|wss?):\/\/([A-Za-z0-9.-]{1,253})(:\d{1,5})?([/?#](?:<path>|[^\s"'<>)\]])*)?/g,
    (_m, s: string, h: string, port?: string, rest?: string) =>
      `${s}://${h}${port ?? ""}${rest ? "/<path>" : ""}`,
  ],
  [/\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/g, "<email>"],
  // arn:partition:service:region:account:resource — keep the service.
  [/\barn:aws[a-z-]{0,20}:([a-z0-9-]{1,40}):[^\s"',)\]]*/g, (_m, svc: string) => `<arn:${svc}>`],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, "<uuid>"],
  // X-Ray trace ids (1-5f84c7a1-…).
  [/\b1-[0-9a-f]{8}-[0-9a-f]{24}\b/g, "<trace>"],
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?/g, "<time>"],
  // Quoted values: '…', "…", `…' (short ones: a quote spanning a whole sentence is left alone).
  [/'[^'\n]{0,200}'|"[^"\n]{0,200}"|`[^`'\n]{0,200}'/g, "<str>"],
  // Prefixed ids: ch_3Q8x2LkA9fT0cP1mZ7, cus_Nf8aK2pQ0xY4 (Stripe-like: a long suffix with an upper-case letter
  // or a digit, so customer_identifier stays), req-8f2a91, i-0abc123def (a suffix with a digit).
  [/\b[a-z]{1,12}_(?=[A-Za-z0-9]{0,63}[A-Z0-9])[A-Za-z0-9]{8,64}\b/g, "<id>"],
  [/\b[A-Za-z]{1,12}[_-](?=[A-Za-z0-9]{0,63}\d)[A-Za-z0-9]{4,64}\b/g, "<id>"],
  // Short prefixed ids joined by `_` or `#`: user_42, item#ab12, order#7 (a suffix with a digit; with `-` only the
  // long ones above, so utf-8, sha-1 keep their name and only the number is masked).
  [/(?<![\w#])[A-Za-z]{1,20}[_#](?=[A-Za-z0-9]{0,63}\d)[A-Za-z0-9]{1,64}(?![\w#])/g, "<id>"],
  // Hex ids of 6+ characters in one case with a digit and a letter (request hashes, object ids, digests: 7f3a9c);
  // digits alone are numbers.
  [
    /\b(?:(?=[0-9a-f]{0,127}\d)(?=[0-9a-f]{0,127}[a-f])[0-9a-f]{6,128}|(?=[0-9A-F]{0,127}\d)(?=[0-9A-F]{0,127}[A-F])[0-9A-F]{6,128})\b/g,
    "<hex>",
  ],
  // Long opaque tokens mixing letters and digits (Stripe-like ids without a prefix, base62 keys), unless the
  // token reads as a name (EC2ThrottledException, S3ServiceException, Float64Array).
  [
    /\b(?=[A-Za-z]{0,63}\d)(?=\d{0,63}[A-Za-z])[A-Za-z0-9]{12,64}\b/g,
    (m: string) => (isCamelName(m) ? m : "<id>"),
  ],
  // A number with its unit glued on is one value: 1523ms, 12KB, 2.5GB, 3s (the unit varies with the value when a
  // formatter picks it, so it is masked too). `45%` keeps its `%` (not part of the word).
  [/(?:(?<![\w.>-])[-+])?(?<!\w)\d{1,20}(?:[.,]\d{1,20}){0,5}[A-Za-z]{1,20}(?!\w)/g, "<n>"],
  // Any other word that starts with a digit and has a letter (3f9a, 0x1F) or has two or more digit runs (a1b2c3,
  // v1beta1) is an id. A word of letters and ONE digit run is a name and stays: S3Exception, Http503, base64,
  // Int32, ec2, IPv4 (so a prefixed id without a separator, user42, stays too). Words with `_` (x86_64) stay.
  [/(?<!\w)\d(?=\d{0,127}[A-Za-z])[A-Za-z0-9]{1,127}(?!\w)/g, "<id>"],
  [/(?<!\w)[A-Za-z]{1,64}\d{1,64}[A-Za-z]{1,64}\d[A-Za-z0-9]{0,64}(?!\w)/g, "<id>"],
  // A sign only where it cannot be a hyphen (utf-8, <id>-1 keep their dash). A status code is a number: 503 → <n>.
  [/(?:(?<![\w.>-])[-+])?\b\d+(?:[.,]\d+)*\b/g, "<n>"],
];

/** The pattern of a message: its first line, variable parts masked, whitespace collapsed. */
export function normalizeMessage(message: string): string {
  let s = sanitize(firstLine(message), MAX_SCAN);
  for (const [re, to] of MASKS) s = s.replace(re, to as string);
  s = s.replace(/\s+/g, " ").trim();
  return s.length > MAX_PATTERN ? `${s.slice(0, MAX_PATTERN)}…` : s;
}

/** Frames the runtime or a dependency owns: never the "top in-app" one. */
const NOT_IN_APP =
  /(^|[\s(/])(node:|internal\/|\/var\/runtime\/|\/var\/lang\/|\/opt\/|node_modules\/|site-packages\/|dist-packages\/|java\.|javax\.|jdk\.|sun\.|lambdainternal\.|com\.amazonaws\.services\.lambda\.runtime\.|software\.amazon\.awssdk\.|org\.apache\.)/;

/** Node `at fn (file:///var/task/index.mjs:42:11)` / `at /var/task/x.js:1:2`. */
const NODE_FRAME = /^\s*at\s+(?:(.{1,200}?)\s+\()?(?:file:\/\/)?([^()\s]{1,300}?)(?::\d+){0,2}\)?\s*$/;
/** Python `File "/var/task/app.py", line 42, in handler`. */
const PYTHON_FRAME = /^\s*File "([^"]{1,300})", line \d+, in (\S{1,200})/;
/** Java `at example.Handler.handleRequest(Handler.java:12)` or a stackTrace entry without `at`. */
const JAVA_FRAME = /^\s*(?:at\s+)?([\w$.<>]{1,300})\(([\w$.-]{1,200}?)(?::\d+)?\)\s*$/;
/** Ruby `/var/task/lambda_function.rb:3:in `handler'` (3.4: `'handler'`), sometimes after `at `. */
const RUBY_FRAME = /^\s*(?:at\s+)?([^:\s]{1,300}\.rb):\d+:in [`']([^'`]{1,200})'/;

function frameOfLine(line: string): { frame: string; python: boolean } | null {
  const py = PYTHON_FRAME.exec(line);
  if (py) return { frame: `${py[2]} (${py[1]})`, python: true };
  const rb = RUBY_FRAME.exec(line);
  if (rb) return { frame: `${rb[2]} (${rb[1]})`, python: false };
  const node = NODE_FRAME.exec(line);
  if (node && /[/\\]|\.m?[jt]s$/.test(node[2]!))
    return { frame: node[1] ? `${node[1]} (${node[2]})` : node[2]!, python: false };
  const java = JAVA_FRAME.exec(line);
  if (java) return { frame: `${java[1]}(${java[2]})`, python: false };
  return null;
}

/**
 * The top in-app frame of a stack, given as lines (Node's `stack` array, Java's `stackTrace`, a Python
 * traceback split at newlines): the innermost frame in the function's own code — first listed for Node, Java
 * and Ruby, last listed for Python (most recent call last). Line and column are dropped so a moved line stays
 * one group. Null when no frame is in-app.
 */
export function topInAppFrame(lines: readonly string[]): string | null {
  let python: string | null = null;
  let other: string | null = null;
  let n = 0;
  for (const raw of lines) {
    for (const line of (raw.length > MAX_SCAN ? raw.slice(0, MAX_SCAN) : raw).split("\n")) {
      if (++n > 200) break;
      const f = frameOfLine(line);
      if (!f || NOT_IN_APP.test(f.frame)) continue;
      if (f.python) python = f.frame;
      else other ??= f.frame;
    }
  }
  const frame = python ?? other;
  return frame === null ? null : sanitize(frame, 300);
}

/** Two 32-bit FNV-1a variants side by side: 16 hex characters, stable across processes and releases. */
function hash64(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

export function fingerprint(parts: {
  kind: string;
  errorType: string;
  pattern: string;
  frame: string | null;
}): string {
  return hash64([parts.kind, parts.errorType, parts.pattern, parts.frame ?? ""].join("\u0000"));
}
