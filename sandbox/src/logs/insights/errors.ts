/** A query outside the supported subset: becomes MalformedQueryException with its location. */
export class QueryCompileError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}
