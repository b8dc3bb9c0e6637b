// A base's usage as the chart draws it, and how near its quota is: pure, tested without a browser.

import type { Schemas } from "@nclcdbaas/sdk";

const DAY_MS = 86_400_000;

/**
 * Requests per day, every principal together, for the `days` days up to `today` (UTC, oldest
 * first, a day without requests as 0): x in Unix seconds, as the chart takes it.
 */
export function dailySeries(usage: Schemas["UsageDay"][], today: Date, days = 31): [number[], number[]] {
  const last = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const totals = new Map<number, number>();
  for (const day of usage) {
    const at = Date.parse(`${day.day}T00:00:00Z`);
    totals.set(at, (totals.get(at) ?? 0) + day.api_calls);
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const at = last - i * DAY_MS;
    xs.push(at / 1000);
    ys.push(totals.get(at) ?? 0);
  }
  return [xs, ys];
}

/** How the month stands against the quota: the share used, and whether to warn. */
export function quotaState(quota: Schemas["QuotaStatus"]): { share: number | null; level: "ok" | "near" | "over" } {
  if (quota.monthly_limit === null) return { share: null, level: "ok" };
  const share = quota.monthly_limit === 0 ? 1 : quota.used / quota.monthly_limit;
  return { share, level: share >= 1 ? "over" : share >= 0.8 ? "near" : "ok" };
}
