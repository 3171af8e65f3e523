/**
 * Label Studio's Taxonomy: nested Choice elements picked from a searchable tree. Each pick is a path of
 * values from the root, so the result is {taxonomy: [["Eukarya", "Animalia"], ["Bacteria"]]}.
 */
import { useMemo, useState } from "react";
import { isTrue, type Control, type TagNode } from "../config/parse";
import { useControlValue } from "./controls";

interface TaxNode {
  value: string;
  path: string[];
  children: TaxNode[];
}

export function taxonomyTree(node: TagNode, parent: string[] = []): TaxNode[] {
  return node.children
    .filter((c) => c.tag === "Choice")
    .map((c) => {
      const value = c.attrs.alias ?? c.attrs.value ?? "";
      const path = [...parent, value];
      return { value: c.attrs.value ?? value, path, children: taxonomyTree(c, path) };
    });
}

const key = (path: string[]) => JSON.stringify(path);

/** Nodes whose own value matches the query, with their ancestors so they can be reached. */
export function filterTree(nodes: TaxNode[], query: string): TaxNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return nodes;
  return nodes.flatMap((n) => {
    const children = filterTree(n.children, q);
    return n.value.toLowerCase().includes(q) || children.length ? [{ ...n, children }] : [];
  });
}

export function TaxonomyControl({ control }: { control: Control }) {
  const bound = useControlValue(control);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const tree = useMemo(() => taxonomyTree(control.node), [control.node]);
  const shown = useMemo(() => filterTree(tree, query), [tree, query]);
  if (!bound) return null;
  const a = control.node.attrs;
  const picked: string[][] = Array.isArray(bound.value)
    ? (bound.value as unknown[]).filter(Array.isArray).map((p) => (p as unknown[]).map(String))
    : [];
  const pickedKeys = new Set(picked.map(key));
  const leafsOnly = isTrue(a.leafsonly);
  const max = Number(a.maxusages ?? 0) || Infinity;
  const sep = a.pathseparator ?? " / ";
  const fullPath = a.showfullpath === undefined || isTrue(a.showfullpath);

  const toggle = (path: string[]) => {
    if (pickedKeys.has(key(path))) bound.set(picked.filter((p) => key(p) !== key(path)));
    else if (picked.length < max) bound.set([...picked, path]);
  };
  const searching = query.trim() !== "";

  const renderNodes = (nodes: TaxNode[], depth: number) =>
    nodes.map((n) => {
      const k = key(n.path);
      const isOpen = searching || expanded.has(k);
      const leaf = n.children.length === 0;
      return (
        <li key={k} role="treeitem" aria-expanded={leaf ? undefined : isOpen} aria-selected={pickedKeys.has(k)}>
          <div className="tax-row" style={{ paddingLeft: depth * 16 }}>
            {leaf ? (
              <span className="tax-twisty" />
            ) : (
              <button
                type="button"
                className="tax-twisty"
                aria-label={`${isOpen ? "Collapse" : "Expand"} ${n.value}`}
                onClick={() => {
                  const next = new Set(expanded);
                  if (!next.delete(k)) next.add(k);
                  setExpanded(next);
                }}
              >
                {isOpen ? "▾" : "▸"}
              </button>
            )}
            <label>
              <input
                type="checkbox"
                checked={pickedKeys.has(k)}
                disabled={(leafsOnly && !leaf) || (!pickedKeys.has(k) && picked.length >= max)}
                onChange={() => toggle(n.path)}
              />
              {n.value}
            </label>
          </div>
          {!leaf && isOpen && <ul role="group">{renderNodes(n.children, depth + 1)}</ul>}
        </li>
      );
    });

  return (
    <div className="taxonomy" data-testid={`control-${control.name}`}>
      <div className="tax-picked">
        {picked.map((p) => (
          <span key={key(p)} className="tax-chip">
            {fullPath ? p.join(sep) : p[p.length - 1]}
            <button type="button" aria-label={`Remove ${p.join(sep)}`} onClick={() => toggle(p)}>
              ✕
            </button>
          </span>
        ))}
        <button type="button" className="btn small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Close" : (a.placeholder ?? "Click to add…")}
        </button>
      </div>
      {open && (
        <div className="tax-panel">
          <input
            type="search"
            className="tax-search"
            placeholder="Search"
            aria-label={`Search ${control.name}`}
            value={query}
            autoFocus
            onChange={(e) => setQuery(e.target.value)}
          />
          <ul role="tree" aria-label={control.name}>
            {renderNodes(shown, 0)}
          </ul>
          {shown.length === 0 && <p className="hint">Nothing matches “{query}”.</p>}
        </div>
      )}
    </div>
  );
}
