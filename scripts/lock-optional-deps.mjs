/**
 * Restores lock entries for platform-specific optional packages (e.g. @next/swc-darwin-arm64) that are missing
 * from package-lock.json. A registry or proxy that serves only one platform's binaries leaves npm unable to record
 * the others when it writes the lock, and `npm ci` elsewhere then refuses the lock ("Missing: … from lock
 * file"). Each restored entry names its platform (os/cpu/libc, read from the package name the way these packages
 * are named) and is optional, so npm skips it everywhere it does not apply and never needs to download it.
 * Run after any `npm install` that rewrites the lock:  node scripts/lock-optional-deps.mjs
 */
import { readFileSync, writeFileSync } from "node:fs";

const LOCK = "package-lock.json";
const OS = [
  "darwin",
  "win32",
  "linux",
  "android",
  "freebsd",
  "openbsd",
  "netbsd",
  "sunos",
  "aix",
  "openharmony",
];
const CPU = {
  arm64: "arm64",
  aarch64: "arm64",
  x64: "x64",
  ia32: "ia32",
  arm: "arm",
  loong64: "loong64",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
  mips64el: "mips64el",
  wasm32: "wasm32",
};

/** os/cpu/libc from a name like `@img/sharp-linux-arm64`, `oxide-linux-x64-musl`, `binding-win32-arm64-msvc`. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const entry = {};
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => p in CPU);
  if (os) entry.os = [os];
  if (cpu) entry.cpu = [CPU[cpu]];
  if ((os === "linux" && parts.includes("musl")) || parts.includes("musleabihf")) entry.libc = ["musl"];
  else if (os === "linux" && parts.some((p) => p.startsWith("gnu"))) entry.libc = ["glibc"];
  return entry;
}

const lock = JSON.parse(readFileSync(LOCK, "utf8"));
const packages = lock.packages;
const restored = [];
for (const [where, meta] of Object.entries({ ...packages })) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const top = `node_modules/${name}`;
    if (packages[top] || packages[`${where ? `${where}/` : ""}node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform.os && !platform.cpu) throw new Error(`cannot tell the platform of ${name}; add it by hand`);
    packages[top] = { version: spec.replace(/^[\^~=]/, ""), ...platform, optional: true };
    restored.push(name);
  }
}
const sorted = Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1));
lock.packages = Object.fromEntries(sorted);
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  `lock-optional-deps: restored ${restored.length} entries${restored.length ? `: ${restored.join(", ")}` : ""}`,
);
