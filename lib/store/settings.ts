/** Small key/value settings the server keeps across restarts (the session signing key, the login token hash). */
import type { Db } from "./database";

export interface Settings {
  get(key: string): string | null;
  set(key: string, value: string): void;
  /** Insert only if absent; returns the stored value (ours or the one another instance wrote first). */
  getOrInit(key: string, create: () => string): string;
  /** Delete `key` only if it still holds `value`; true when this call consumed it (one-time use). */
  consume(key: string, value: string): boolean;
}

export function createSettings(db: Db): Settings {
  const get = db.prepare("SELECT value FROM settings WHERE key = ?");
  const set = db.prepare(
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const insertIfAbsent = db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)");
  const consume = db.prepare("DELETE FROM settings WHERE key = ? AND value = ?");
  const read = (key: string) => (get.get(key) as { value: string } | undefined)?.value ?? null;
  return {
    get: read,
    set: (key, value) => void set.run(key, value),
    getOrInit(key, create) {
      insertIfAbsent.run(key, create());
      return read(key) ?? "";
    },
    consume: (key, value) => consume.run(key, value).changes === 1,
  };
}
