// A base's usage: requests per day as a chart, this month against its quota with a warning as
// it nears the limit, and (for an owner) the quota itself.

import type { FormEvent } from "react";
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { sizeText } from "./files";
import { optionsOf } from "./fieldForm";
import { useChange, useLoaded } from "./hooks";
import { can } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";
import { dailySeries, quotaState } from "./usage";

export function Usage({ baseId, role }: { baseId: string; role: string }) {
  const usage = useLoaded(async () => (await client()).call("getUsage", { path: { baseId } }), [baseId]);
  const change = useChange(usage.reload);
  const chart = useRef<HTMLDivElement>(null);
  const report = usage.data;

  useEffect(() => {
    if (!report || !chart.current) return;
    const plot = new uPlot(
      {
        width: Math.min(900, chart.current.clientWidth || 900),
        height: 260,
        series: [{}, { label: "Requests", stroke: "#0b5cad", fill: "rgba(11, 92, 173, 0.12)", width: 2 }],
        axes: [{}, { size: 60 }],
        scales: { x: { time: true } },
      },
      dailySeries(report.days, new Date()),
      chart.current,
    );
    return () => plot.destroy();
  }, [report]);

  function setQuota(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("quota") ?? "").trim();
    const monthly_request_quota = text === "" ? null : Number(text);
    void change.run(async () =>
      (await client()).call("setQuota", { path: { baseId }, body: { monthly_request_quota } }),
    );
  }

  function setFileSettings(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const max = String(form.get("max_upload") ?? "").trim();
    const body = {
      max_upload_bytes: max === "" ? null : Math.round(Number(max) * 1024 * 1024),
      content_types: optionsOf(String(form.get("content_types") ?? "")),
    };
    void change.run(async () => (await client()).call("setFileSettings", { path: { baseId }, body }));
  }

  const state = report && quotaState(report.quota);
  const storage = report?.storage;
  return (
    <section>
      <h2>Usage</h2>
      <Problem error={usage.error ?? change.error} />
      {report && state && (
        <>
          <p className={`quota ${state.level}`} role={state.level === "ok" ? undefined : "alert"} data-testid="quota">
            {report.quota.used.toLocaleString("en")} requests this month
            {report.quota.monthly_limit === null
              ? " (no monthly quota)"
              : ` of ${report.quota.monthly_limit.toLocaleString("en")} (${Math.round((state.share ?? 0) * 100)}%)`}
            {state.level === "near" && ": nearing the monthly quota."}
            {state.level === "over" && ": the monthly quota is used up; requests are refused until it resets."}{" "}
            <span className="hint">Resets {new Date(report.quota.resets_at_ms).toISOString().slice(0, 10)}.</span>
          </p>
          <figure>
            <div ref={chart} className="chart" role="img" aria-label="Requests per day, last 31 days" />
            <figcaption className="hint">Requests per day (UTC), last 31 days.</figcaption>
          </figure>
        </>
      )}
      {storage && (
        <>
          <h3>Files</h3>
          <p data-testid="storage">
            {storage.files.toLocaleString("en")} files, {sizeText(storage.stored_bytes)} stored
            {storage.max_stored_bytes === null ? " (no cap)" : ` of ${sizeText(storage.max_stored_bytes)}`}. Largest upload{" "}
            {sizeText(storage.max_upload_bytes)}; types: {storage.content_types.join(", ") || "any"}.
          </p>
          {can(role, "alterSchema") && (
            <form className="inline" aria-label="Upload settings" onSubmit={setFileSettings}>
              <label>
                Largest upload (MB){" "}
                <input name="max_upload" type="number" min={0.001} step="any" placeholder="plan's"
                  defaultValue={storage.base_max_upload_bytes === null ? "" : storage.base_max_upload_bytes / 1024 / 1024} />
              </label>
              <label>
                Accepted types{" "}
                <input name="content_types" defaultValue={storage.content_types.join(", ")} placeholder="any, or e.g. image/*, application/pdf" />
              </label>
              <button type="submit" disabled={change.busy}>Save upload settings</button>
            </form>
          )}
        </>
      )}
      {can(role, "manageBilling") && (
        <form className="inline" aria-label="Monthly quota" onSubmit={setQuota}>
          <label>
            Monthly quota <input name="quota" type="number" min={0} placeholder="plan's" />
          </label>
          <button type="submit" disabled={change.busy}>Set quota</button>
        </form>
      )}
    </section>
  );
}
