/**
 * One PostgreSQL server for the whole integration project (test/support/postgres.ts): started before the first
 * file, stopped after the last. Files reach it through `inject("postgresUrl")` and make their own databases
 * (test/support/stores.ts), so they never share state.
 */
import type { TestProject } from "vitest/node";
import { startPostgres } from "../support/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres();
  project.provide("postgresUrl", server.url);
  return async () => {
    await server.stop();
  };
}
