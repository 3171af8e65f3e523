/**
 * Filter rows as the user edits them (values are strings from inputs) <-> Label Studio's filter JSON:
 * {"conjunction":"and","items":[{"filter":"filter:tasks:data.cluster","operator":"equal","type":"Number","value":2}]}
 */
import type { Conjunction, FilterItem, FilterType, Filters } from "../api/types";

export type RowValue = string | { min: string; max: string };

export interface FilterRow {
  key: string;
  /** A column id such as "tasks:data.cluster". */
  column: string;
  type: FilterType;
  operator: string;
  value: RowValue;
}

export const OPERATOR_LABELS: Record<string, string> = {
  equal: "is",
  not_equal: "is not",
  less: "<",
  greater: ">",
  less_or_equal: "≤",
  greater_or_equal: "≥",
  in: "is between",
  not_in: "is not between",
  in_list: "is one of",
  not_in_list: "is none of",
  empty: "is empty",
  contains: "contains",
  not_contains: "does not contain",
  regex: "matches regex",
};

const COMPARE = ["equal", "not_equal", "less", "greater", "less_or_equal", "greater_or_equal"];

/** Every operator of LS-COMPAT appears for at least one type. */
export const OPERATORS_BY_TYPE: Record<FilterType, string[]> = {
  Number: [...COMPARE, "in", "not_in", "in_list", "not_in_list", "empty"],
  Datetime: [...COMPARE, "in", "not_in", "empty"],
  Boolean: ["equal", "not_equal", "empty"],
  String: ["contains", "not_contains", "equal", "not_equal", "regex", "in_list", "not_in_list", "empty"],
  List: ["contains", "not_contains", "in_list", "not_in_list", "empty"],
  Unknown: ["contains", "not_contains", "equal", "not_equal", "regex", "empty"],
};

export function operatorsFor(type: FilterType): string[] {
  return OPERATORS_BY_TYPE[type] ?? OPERATORS_BY_TYPE.Unknown;
}

export function isRange(operator: string): boolean {
  return operator === "in" || operator === "not_in";
}

export function isList(operator: string): boolean {
  return operator === "in_list" || operator === "not_in_list";
}

/** The value an input should start with when the operator changes. */
export function emptyValue(operator: string): RowValue {
  if (isRange(operator)) return { min: "", max: "" };
  if (operator === "empty") return "true";
  return "";
}

let counter = 0;
export function newRow(column: string, type: FilterType): FilterRow {
  const operator = operatorsFor(type)[0];
  counter += 1;
  return { key: `f${Date.now()}-${counter}`, column, type, operator, value: emptyValue(operator) };
}

/** datetime-local "2026-01-31T12:00" (the user's time zone) -> "2026-01-31T11:00:00.000Z". */
function toDatetime(raw: string): string | undefined {
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function fromDatetime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** One scalar of the row's type, or undefined when the input does not hold one yet. */
function scalar(raw: string, type: FilterType): unknown {
  const text = raw.trim();
  if (text === "") return undefined;
  if (type === "Number") {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (type === "Datetime") return toDatetime(text);
  if (type === "Boolean") return text === "true" ? true : text === "false" ? false : undefined;
  return text;
}

/** The row as a Label Studio filter item, or null while its value is incomplete or invalid. */
export function toFilterItem(row: FilterRow): FilterItem | null {
  const base = { filter: `filter:${row.column}`, operator: row.operator, type: row.type };
  const v = row.value;
  if (row.operator === "empty") return { ...base, value: v === "true" || v === "" };
  if (isRange(row.operator)) {
    if (typeof v !== "object") return null;
    const min = scalar(v.min, row.type);
    const max = scalar(v.max, row.type);
    return min === undefined || max === undefined ? null : { ...base, value: { min, max } };
  }
  if (typeof v !== "string") return null;
  if (isList(row.operator)) {
    const parts = v.split(",").map((p) => scalar(p, row.type));
    if (parts.length === 0 || parts.some((p) => p === undefined)) return null;
    return { ...base, value: parts };
  }
  const value = scalar(v, row.type);
  return value === undefined ? null : { ...base, value };
}

/** null when no row is complete: the server then applies no filter. */
export function buildFilters(rows: FilterRow[], conjunction: Conjunction): Filters | null {
  const items = rows.map(toFilterItem).filter((i): i is FilterItem => i !== null);
  return items.length ? { conjunction, items } : null;
}

function rowText(value: unknown, type: FilterType): string {
  if (value === null || value === undefined) return "";
  if (type === "Datetime" && typeof value === "string") return fromDatetime(value);
  return String(value);
}

/** Rows for a saved view's filters (the inverse of buildFilters). */
export function rowsFromFilters(filters: Filters | null | undefined): FilterRow[] {
  return (filters?.items ?? []).map((item, i) => {
    const column = item.filter.replace(/^filter:/, "");
    const type = item.type ?? "String";
    let value: RowValue;
    if (isRange(item.operator) && item.value && typeof item.value === "object") {
      const { min, max } = item.value as { min: unknown; max: unknown };
      value = { min: rowText(min, type), max: rowText(max, type) };
    } else if (item.operator === "empty") {
      value = item.value === false || item.value === "false" ? "false" : "true";
    } else if (Array.isArray(item.value)) {
      value = item.value.map((v) => rowText(v, type)).join(", ");
    } else {
      value = rowText(item.value, type);
    }
    return { key: `saved-${i}`, column, type, operator: item.operator, value };
  });
}
