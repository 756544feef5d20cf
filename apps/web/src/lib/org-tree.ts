import type { OrgUnit } from '@guotu/contracts';

export interface OrgNode {
  unit: OrgUnit;
  children: OrgNode[];
}

/**
 * GET /orgs answers the caller's scope subtree as a flat list. Units whose parent is not in
 * the list (the caller's own scope root, or several roots) become the roots. Sibling order
 * is the server's order.
 */
export function buildOrgTree(units: readonly OrgUnit[]): OrgNode[] {
  const nodes = new Map<number, OrgNode>();
  for (const unit of units) nodes.set(unit.id, { unit, children: [] });
  const roots: OrgNode[] = [];
  for (const unit of units) {
    const node = nodes.get(unit.id);
    if (!node) continue;
    const parent = unit.parentId === null ? undefined : nodes.get(unit.parentId);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** '/1/5/42/' → [1, 5, 42]: the ancestors of a unit and the unit itself. */
export function ancestorIds(path: string): number[] {
  return path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((id) => Number.isInteger(id));
}

export interface OrgTreeData {
  key: number;
  value: number;
  title: string;
  children: OrgTreeData[];
}

/** The shape antd Tree and TreeSelect take. */
export function toTreeData(nodes: readonly OrgNode[]): OrgTreeData[] {
  return nodes.map((node) => ({
    key: node.unit.id,
    value: node.unit.id,
    title: node.unit.name,
    children: toTreeData(node.children),
  }));
}
