export * from "./rates";
export * from "./cost";
export * from "./provisioned";
export * from "./estimate";
