/** What the global setup hands to e2e tests through vitest's provide/inject. */
declare module "vitest" {
  export interface ProvidedContext {
    consoleUrl: string;
    sandboxUrl: string;
    browserWsEndpoint: string;
    regions: string;
  }
}

export {};
