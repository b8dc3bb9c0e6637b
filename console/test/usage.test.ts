import { expect, it } from "vitest";
import { dailySeries, quotaState } from "../src/usage";

it("sums the principals of a day and fills the days without requests", () => {
  const [xs, ys] = dailySeries(
    [
      { day: "2026-03-10", principal: "token:a", api_calls: 5 },
      { day: "2026-03-10", principal: "public", api_calls: 2 },
      { day: "2026-03-08", principal: "user:b", api_calls: 1 },
      { day: "2026-01-01", principal: "user:b", api_calls: 99 },
    ],
    new Date("2026-03-10T18:00:00Z"),
    4,
  );
  expect(xs).toEqual(["2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"].map((day) => Date.parse(day) / 1000));
  expect(ys).toEqual([0, 1, 0, 7]);
});

it("warns from 80% of the quota on, and never without one", () => {
  const quota = (used: number, monthly_limit: number | null) => ({ used, monthly_limit, resets_at_ms: 0 });
  expect(quotaState(quota(10, null))).toEqual({ share: null, level: "ok" });
  expect(quotaState(quota(79, 100)).level).toBe("ok");
  expect(quotaState(quota(80, 100))).toEqual({ share: 0.8, level: "near" });
  expect(quotaState(quota(120, 100)).level).toBe("over");
  expect(quotaState(quota(0, 0)).level).toBe("over");
});
