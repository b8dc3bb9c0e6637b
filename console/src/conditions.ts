// Record rules, compound unique sets and row and column policies as the "Rules & policies"
// screen edits them: a condition builder's rows (field, operator, value, joined by AND) to the
// records API's `where` JSON and back, a policy's field checkboxes to its lists, and the
// sentences that sum them up. Pure.

import type { Schemas } from "@nclcdbaas/sdk";

type Operator = Schemas["Operator"];
type FieldType = Schemas["FieldType"];

/** A condition in the records API's `where` form. */
export type Where =
  | { field: string; op: Operator; value: unknown }
  | { and: Where[] }
  | { or: Where[] }
  | { not: Where };

/** A caller variable a policy's row condition may compare with (`{"var": "user.email"}`). */
export type Variable = "user.email" | "user.id" | "token.name" | "token.id";

/** One row of the builder: the value as typed (a list comma-separated; `true`/`false` for `is_null`), or a variable. */
export interface ConditionRow {
  field: string;
  op: Operator;
  value: string;
  variable?: Variable;
}

export interface RuleInfo {
  name: string;
  if?: Where;
  then: Where;
  message: string;
}
export interface UniqueInfo {
  name: string;
  fields: string[];
}
export type Subject = "viewer" | "editor" | "token";
export const SUBJECTS: readonly Subject[] = ["viewer", "editor", "token"];
export interface PolicyInfo {
  subject: Subject;
  rows?: Where;
  read?: string[] | null;
  write?: string[] | null;
}

/** A table as the table resource now describes it: with its rules, unique sets and policies. */
/** A table's rules and policies, their conditions typed as the builder reads them. */
export const rulesOfTable = (table: Schemas["Table"]) => table.rules as RuleInfo[];
export const policiesOfTable = (table: Schemas["Table"]) => table.policies as PolicyInfo[];

/** The variables a subject's row condition may use. */
export const variablesOf = (subject: Subject): Variable[] =>
  subject === "token" ? ["token.name", "token.id"] : ["user.email", "user.id"];

const listed = (op: Operator) => op === "in" || op === "between";

/** The JSON value of `text` for a field of `type`: numbers and booleans typed, the rest as text. */
function typed(text: string, type: FieldType | undefined): unknown {
  const trimmed = text.trim();
  if (type === "number" && trimmed !== "" && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (type === "boolean" && (trimmed === "true" || trimmed === "false")) return trimmed === "true";
  return text;
}

/** A builder row as a `where` leaf. */
export function leafOf(row: ConditionRow, types: Record<string, FieldType>): Where {
  const type = types[row.field];
  if (row.op === "is_null") return { field: row.field, op: row.op, value: row.value !== "false" };
  if (row.variable && (row.op === "eq" || row.op === "ne")) return { field: row.field, op: row.op, value: { var: row.variable } };
  const value = listed(row.op) ? row.value.split(",").map((part) => typed(part.trim(), type)) : typed(row.value, type);
  return { field: row.field, op: row.op, value };
}

/** The builder's rows as one condition (AND of them all), or none when there are no rows. */
export function whereOf(rows: ConditionRow[], types: Record<string, FieldType>): Where | undefined {
  const leaves = rows.map((row) => leafOf(row, types));
  return leaves.length === 0 ? undefined : leaves.length === 1 ? leaves[0] : { and: leaves };
}

/** A condition as builder rows, or null when the builder cannot show it (OR, NOT, nested AND). */
export function rowsOf(where: Where | undefined | null): ConditionRow[] | null {
  if (!where) return [];
  const leaves = "and" in where ? where.and : [where];
  const rows: ConditionRow[] = [];
  for (const leaf of leaves) {
    if (!("field" in leaf)) return null;
    const value = leaf.value as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const variable = (value as { var?: unknown }).var;
      if (typeof variable !== "string") return null;
      rows.push({ field: leaf.field, op: leaf.op, value: "", variable: variable as Variable });
    } else {
      rows.push({ field: leaf.field, op: leaf.op, value: Array.isArray(value) ? value.join(",") : String(value ?? "") });
    }
  }
  return rows;
}

const SIGNS: Partial<Record<Operator, string>> = {
  eq: "=", ne: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤", in: "is one of", between: "is between", contains: "contains",
  starts_with: "starts with",
};

/** What the builder's operator select shows for an operator (`is_null` split into its two senses). */
export const operatorChoices = (ops: Operator[]): Array<{ value: string; label: string }> =>
  ops.flatMap((op) =>
    op === "is_null"
      ? [{ value: "is_null:true", label: "is empty" }, { value: "is_null:false", label: "is not empty" }]
      : [{ value: op, label: SIGNS[op] ?? op }],
  );

/** The operator select's value of a row, and the row a choice makes of it. */
export const choiceOf = (row: ConditionRow): string => (row.op === "is_null" ? `is_null:${row.value === "false" ? "false" : "true"}` : row.op);
export function withChoice(row: ConditionRow, choice: string): ConditionRow {
  const [op, empty] = choice.split(":") as [Operator, string?];
  if (op === "is_null") return { field: row.field, op, value: empty ?? "true" };
  const variable = op === "eq" || op === "ne" ? row.variable : undefined;
  return { field: row.field, op, value: row.op === "is_null" ? "" : row.value, ...(variable ? { variable } : {}) };
}

/** A condition as a sentence: `status = "paid" and invoice is not empty`. */
export function conditionText(where: Where): string {
  if ("and" in where) return where.and.map((part) => ("or" in part ? `(${conditionText(part)})` : conditionText(part))).join(" and ");
  if ("or" in where) return where.or.map((part) => ("and" in part ? `(${conditionText(part)})` : conditionText(part))).join(" or ");
  if ("not" in where) return `not (${conditionText(where.not)})`;
  if (where.op === "is_null") return `${where.field} ${where.value === false ? "is not empty" : "is empty"}`;
  const value = where.value as unknown;
  const shown = (item: unknown) =>
    typeof item === "object" && item !== null && "var" in item ? `the caller's ${String((item as { var: unknown }).var)}` : JSON.stringify(item);
  const text = Array.isArray(value)
    ? where.op === "between" ? value.map(shown).join(" and ") : value.map(shown).join(", ")
    : shown(value);
  return `${where.field} ${SIGNS[where.op] ?? where.op} ${text}`;
}

/** A rule as a sentence: `if status = "paid" then invoice is not empty`. */
export const ruleText = (rule: RuleInfo): string =>
  rule.if ? `if ${conditionText(rule.if)}, then ${conditionText(rule.then)}` : `always ${conditionText(rule.then)}`;

/** A policy's field list from its checkboxes: every field ticked is no list at all (every field, also those added later). */
export const fieldListOf = (ticked: string[], all: string[]): string[] | null =>
  all.every((name) => ticked.includes(name)) ? null : all.filter((name) => ticked.includes(name));

/** The fields a list lets through: no list, all of them. */
export const tickedOf = (list: string[] | null | undefined, all: string[]): string[] => list ?? [...all];

/** Names the API takes for rules and unique sets. */
export const NAME_PATTERN = "[a-z][a-z0-9_]{0,62}";
