/** Counts the AWS requests one page view makes, by operation, so the page can say what it cost. */
export interface RequestCost {
  total: number;
  byOperation: Record<string, number>;
}

export interface RequestMeter {
  record(operation: string, count?: number): void;
  cost(): RequestCost;
}

export function createMeter(): RequestMeter {
  const byOperation: Record<string, number> = {};
  return {
    record(operation, count = 1) {
      byOperation[operation] = (byOperation[operation] ?? 0) + count;
    },
    cost() {
      const copy = { ...byOperation };
      return { total: Object.values(copy).reduce((a, b) => a + b, 0), byOperation: copy };
    },
  };
}
