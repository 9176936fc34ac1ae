/**
 * Layered layout of a service graph, left to right: callers in the left columns, callees to their right
 * (clients → Lambda services → functions → downstream). Prepare-then-render: the map component only draws what
 * this returns.
 *
 * Invariants:
 * - Deterministic: the same graph (in any node or edge order) gives the same positions.
 * - Longest-path layering: a node sits one column right of its furthest caller; nodes with no caller sit in
 *   column 0. A cycle cannot push a node further than (number of nodes − 1) columns.
 * - Within a column, nodes are ordered by name, then id; no two nodes share a position.
 * - Every edge gets a path between its nodes' facing sides and a label point on it.
 */

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 120;
const ROW_GAP = 28;
const MARGIN = 16;

export interface LayoutNodeInput {
  id: string;
  name: string;
}

export interface LayoutEdgeInput {
  from: string;
  to: string;
}

export interface PlacedNode {
  id: string;
  column: number;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** SVG path data. */
  path: string;
  labelX: number;
  labelY: number;
}

export interface ServiceMapLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const byNameThenId = (a: LayoutNodeInput, b: LayoutNodeInput) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Longest path from a source, by relaxation bounded by the node count (so a cycle terminates). */
function columns(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[]): Map<string, number> {
  const column = new Map(nodes.map((n) => [n.id, 0]));
  const known = edges.filter((e) => e.from !== e.to && column.has(e.from) && column.has(e.to));
  const limit = Math.max(0, nodes.length - 1);
  for (let round = 0; round < nodes.length; round++) {
    let moved = false;
    for (const e of known) {
      const wanted = Math.min(limit, (column.get(e.from) ?? 0) + 1);
      if (wanted > (column.get(e.to) ?? 0)) {
        column.set(e.to, wanted);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return column;
}

export function layoutServiceMap(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
): ServiceMapLayout {
  const column = columns(nodes, edges);
  const byColumn = new Map<number, LayoutNodeInput[]>();
  for (const n of nodes) {
    const c = column.get(n.id) ?? 0;
    byColumn.set(c, [...(byColumn.get(c) ?? []), n]);
  }
  const placed = new Map<string, PlacedNode>();
  let rows = 0;
  for (const [c, members] of byColumn) {
    [...members].sort(byNameThenId).forEach((n, row) => {
      placed.set(n.id, {
        id: n.id,
        column: c,
        x: MARGIN + c * (NODE_WIDTH + COLUMN_GAP),
        y: MARGIN + row * (NODE_HEIGHT + ROW_GAP),
      });
    });
    rows = Math.max(rows, members.length);
  }
  const columnCount = byColumn.size === 0 ? 0 : Math.max(...byColumn.keys()) + 1;

  const placedEdges = edges.flatMap((e): PlacedEdge[] => {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) return [];
    const forward = b.column > a.column;
    // Forward edges leave the caller's right side for the callee's left; any other (a loop back) leaves and
    // enters on the bottom, bending below the row so it does not cross the nodes between.
    const x1 = forward ? a.x + NODE_WIDTH : a.x + NODE_WIDTH / 2;
    const y1 = forward ? a.y + NODE_HEIGHT / 2 : a.y + NODE_HEIGHT;
    const x2 = forward ? b.x : b.x + NODE_WIDTH / 2;
    const y2 = forward ? b.y + NODE_HEIGHT / 2 : b.y + NODE_HEIGHT;
    const path = forward
      ? `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1}, ${(x1 + x2) / 2} ${y2}, ${x2} ${y2}`
      : `M ${x1} ${y1} C ${x1} ${y1 + ROW_GAP * 2}, ${x2} ${y2 + ROW_GAP * 2}, ${x2} ${y2}`;
    return [
      {
        from: e.from,
        to: e.to,
        path,
        labelX: (x1 + x2) / 2,
        labelY: forward ? (y1 + y2) / 2 : Math.max(y1, y2) + ROW_GAP * 1.5,
      },
    ];
  });

  return {
    width: columnCount === 0 ? 0 : MARGIN * 2 + columnCount * NODE_WIDTH + (columnCount - 1) * COLUMN_GAP,
    height: rows === 0 ? 0 : MARGIN * 2 + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP + ROW_GAP * 2,
    nodes: [...placed.values()].sort((p, q) => p.column - q.column || p.y - q.y),
    edges: placedEdges,
  };
}
