// The API's own checks in the browser: the request compiler (console/compiler) as WebAssembly,
// loaded on first use, so that what the console accepts is exactly what the API accepts.

import type { Schemas } from "@nclcdbaas/sdk";

export type Compiler = typeof import("./compiler/compiler.js");

let loading: Promise<Compiler> | null = null;

/** The compiler, loaded once (its module and Wasm are fetched only by screens that check). */
export function compiler(): Promise<Compiler> {
  loading ??= import("./compiler/compiler.js").then(async (module) => {
    await module.default();
    return module;
  });
  return loading;
}

/** The operators a filter on a field of `type` may use. */
export const operatorsOf = (compiled: Compiler, type: Schemas["FieldType"]): Schemas["Operator"][] =>
  compiled.operators(type) as Schemas["Operator"][];

/** Why the API would refuse `value` for `field`, or null. */
export const valueProblem = (compiled: Compiler, field: Schemas["FieldInfo"], value: unknown): string | null =>
  compiled.check_value(JSON.stringify(field), JSON.stringify(value ?? null)) ?? null;

/** Why the API would refuse `rules` on a field of `type`, or null. */
export const rulesProblem = (compiled: Compiler, type: Schemas["FieldType"], rules: Schemas["FieldRules"]): string | null =>
  compiled.check_rules(type, JSON.stringify(rules)) ?? null;

/** Why saving `spec` in `base` would be refused, or null. */
export const viewProblem = (compiled: Compiler, base: Schemas["Base"], spec: Schemas["ViewSpec"]): string | null =>
  compiled.check_view(JSON.stringify(base), JSON.stringify(spec)) ?? null;

/** What a formula gives on a table: the type of its value, or what is wrong and where. */
export type FormulaCheck = { type?: string; error?: { message: string; start: number; end: number } };

export const formulaCheck = (compiled: Compiler, base: unknown, table: string, formula: string): FormulaCheck =>
  JSON.parse(compiled.check_formula(JSON.stringify(base), table, formula)) as FormulaCheck;

/** The functions a formula can call, with how each is called. */
export const formulaFunctions = (compiled: Compiler): Array<{ name: string; doc: string }> =>
  JSON.parse(compiled.formula_functions()) as Array<{ name: string; doc: string }>;
