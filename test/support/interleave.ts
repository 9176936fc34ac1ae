/**
 * Races on a real database, made deterministic: `interleaved(db)` is the same database seen through a wrapper
 * that, once armed, runs a given write right after the next query's result arrives. The write runs after that
 * query's connection is released (Kysely 0.28 runs plugins' transformResult while it still holds the
 * connection, so a plugin would deadlock on SQLite's single connection) and before the query's caller
 * continues. A repository built on it can be made to lose a read-modify-write race at exactly the point between
 * its read and its write.
 *
 * Watched: queries run with `sql\`…\`.execute(k)` (it asks `k.getExecutor()`) and `k.executeQuery(…)`, the way
 * repositories query. Not watched: query builders (`k.selectFrom…`), which take Kysely's private executor, and
 * queries inside `k.transaction()`, whose connection stays held, so an armed write there would wait for it.
 */
import type { QueryExecutor } from "kysely";
import type { Db } from "@/lib/store/database";

export interface Interleaved {
  db: Db;
  /** Runs `write` once, after the next watched query through `db` returns and before its caller continues. */
  afterNextQuery(write: () => Promise<unknown>): void;
  /** How many armed writes have run. */
  readonly ran: number;
}

/** Executor methods that return another executor: their result is watched too. */
const DERIVED = new Set<PropertyKey>([
  "withPlugin",
  "withPlugins",
  "withPluginAtFront",
  "withoutPlugins",
  "withConnectionProvider",
]);

/**
 * A view of `target` where `override` supplies some members; every other method is bound to `target` itself,
 * because Kysely's classes keep their state in private fields that a proxy or prototype copy cannot reach.
 */
function view<T extends object>(target: T, override: (prop: PropertyKey) => unknown): T {
  return new Proxy(target, {
    get(t, prop) {
      const own = override(prop);
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

export function interleaved(db: Db): Interleaved {
  let pending: (() => Promise<unknown>) | null = null;
  let ran = 0;

  // The inner executeQuery resolves only after Kysely has released the connection, so the write can take it.
  const watched = (executor: QueryExecutor): QueryExecutor =>
    view(executor, (prop) => {
      if (prop === "executeQuery") {
        return async (...args: Parameters<QueryExecutor["executeQuery"]>) => {
          const result = await executor.executeQuery(...args);
          const write = pending;
          pending = null;
          if (write) {
            await write();
            ran++;
          }
          return result;
        };
      }
      if (DERIVED.has(prop)) {
        const derive = Reflect.get(executor, prop, executor) as (...a: unknown[]) => QueryExecutor;
        return (...args: unknown[]) => watched(derive.apply(executor, args));
      }
      return undefined;
    });

  const kysely = db.kysely;
  const watchedKysely = view(kysely, (prop) => {
    if (prop === "getExecutor") return () => watched(kysely.getExecutor());
    if (prop === "executeQuery") {
      return (query: Parameters<Db["kysely"]["executeQuery"]>[0]) => {
        const compiled = "compile" in query ? query.compile() : query;
        return watched(kysely.getExecutor()).executeQuery(compiled);
      };
    }
    return undefined;
  });

  return {
    db: { ...db, kysely: watchedKysely },
    afterNextQuery(write) {
      pending = write;
    },
    get ran() {
      return ran;
    },
  };
}
