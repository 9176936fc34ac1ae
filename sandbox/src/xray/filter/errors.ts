/** A filter expression X-Ray would reject; the handler answers InvalidRequestException with this message. */
export class FilterError extends Error {
  readonly position: number;
  constructor(detail: string, position: number) {
    super(`Invalid filter expression: ${detail} at position ${position}`);
    this.name = "FilterError";
    this.position = position;
  }
}
