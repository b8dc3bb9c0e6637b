// A table's import wizard: a CSV file picked and read here (in the encoding the person
// names), its columns mapped to fields (same names by default), checked with a dry run
// that shows the first problems, then imported as a job whose progress bar follows its
// event stream; the error report and the job's problems stay on screen. Also
// `ExportButton`: the grid's records (its filter, sort and columns) as a CSV file.

import { ApiError, type ListOptions, type Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState } from "react";
import { Problem } from "./Problem";
import { client } from "./session";

type Table = Schemas["Table"];
type Job = Schemas["Job"];

/** The largest file the console sends with the request (the API's inline limit). */
export const MAX_INLINE = 1024 * 1024;
const ENCODINGS = ["utf-8", "windows-1252", "utf-16"] as const;
const SKIP = "";

/** The cells of a CSV's first record (quoted cells may hold commas, quotes and line breaks). */
export function headerOf(text: string, delimiter = ","): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let at = text.charCodeAt(0) === 0xfeff ? 1 : 0; at < text.length; at += 1) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        cell += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      cells.push(cell.trim());
      cell = "";
    } else if (char === "\n" || char === "\r") break;
    else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

/** Each column's field: the writable field of the same name, `id`, or nothing. */
export function defaultMapping(header: string[], table: Table): Record<string, string> {
  const writable = writableFields(table);
  return Object.fromEntries(header.map((column) => [column, column === "id" || writable.includes(column) ? column : SKIP]));
}

const writableFields = (table: Table): string[] => table.fields.filter((field) => !field.computed).map((field) => field.name);

const finished = (job: Job) => !["queued", "running"].includes(job.state);

/**
 * Follows a job of the base until it ends, telling `seen` each state: by its event stream,
 * and by polling should the stream be refused (too many open, or the session renewed).
 */
async function follow(baseId: string, id: string, seen: (job: Job) => void): Promise<Job> {
  try {
    for await (const job of (await client(baseId)).jobEvents(id)) {
      seen(job);
      if (finished(job)) return job;
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  for (;;) {
    const job = await (await client(baseId)).call("getJob", { path: { jobId: id } });
    seen(job);
    if (finished(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

export function JobProgress({ job }: { job: Job }) {
  const { progress } = job;
  const share = progress.bytes_total ? progress.bytes_read / progress.bytes_total : undefined;
  return (
    <div className="job" data-testid="job">
      <progress max={1} value={finished(job) ? 1 : share} aria-label="Progress" />
      <span>
        {job.state}: {progress.rows_read} rows read, {progress.rows_written} {job.dry_run ? "would be written" : "written"}
        {progress.errors > 0 && `, ${progress.errors} problems`}
      </span>
    </div>
  );
}

export function Import({ baseId, table, changed }: { baseId: string; table: Table; changed: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<(typeof ENCODINGS)[number]>("utf-8");
  const [text, setText] = useState("");
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [unique, setUnique] = useState("");
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const running = job !== null && !finished(job);

  useEffect(() => {
    if (!file) return;
    let current = true;
    void file.arrayBuffer().then((bytes) => {
      if (!current) return;
      const decoded = new TextDecoder(encoding).decode(bytes);
      setText(decoded);
      setMapping(defaultMapping(headerOf(decoded), table));
    });
    return () => {
      current = false;
    };
  }, [file, encoding, table]);

  async function start(dryRun: boolean) {
    setError(null);
    try {
      const chosen = Object.fromEntries(Object.entries(mapping).filter(([, field]) => field !== SKIP));
      const body = { csv: text, mapping: chosen, dry_run: dryRun, ...(unique ? { unique } : {}) };
      const started = await (await client(baseId)).call("importCsv", { path: { tableId: table.name }, body });
      setJob(started);
      const done = await follow(baseId, started.id, setJob);
      if (!dryRun && done.state === "succeeded") changed();
    } catch (failure) {
      setError(failure);
    }
  }

  async function cancel() {
    if (job) setJob(await (await client(baseId)).call("cancelJob", { path: { jobId: job.id } }));
  }

  const tooLarge = file !== null && file.size > MAX_INLINE;
  const header = Object.keys(mapping);
  return (
    <section className="import" aria-label="Import CSV">
      <h3>Import a CSV file</h3>
      <div className="row">
        <label>
          File <input type="file" accept=".csv,text/csv" onChange={(event) => { setJob(null); setFile(event.target.files?.[0] ?? null); }} />
        </label>
        <label>
          Encoding{" "}
          <select value={encoding} onChange={(event) => setEncoding(event.target.value as (typeof ENCODINGS)[number])}>
            {ENCODINGS.map((name) => <option key={name}>{name}</option>)}
          </select>
        </label>
      </div>
      {tooLarge && (
        <p role="alert">
          This file has {file.size.toLocaleString()} bytes; the console imports files of up to 1 MiB. Larger files are
          uploaded with <code>POST /v1/files:signUpload</code> and imported with <code>import:csv</code> and their
          <code> file</code> id.
        </p>
      )}
      {header.length > 0 && !tooLarge && (
        <>
          <table className="mapping">
            <thead>
              <tr><th>CSV column</th><th>Field</th></tr>
            </thead>
            <tbody>
              {header.map((column) => (
                <tr key={column}>
                  <td>{column}</td>
                  <td>
                    <select aria-label={`Field for ${column}`} value={mapping[column]}
                      onChange={(event) => setMapping({ ...mapping, [column]: event.target.value })}>
                      <option value={SKIP}>(skip)</option>
                      <option value="id">id</option>
                      {writableFields(table).map((name) => <option key={name}>{name}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label>
            Rows update the record with the same{" "}
            <select aria-label="Match records by" value={unique} onChange={(event) => setUnique(event.target.value)}>
              <option value="">id (others are added)</option>
              {table.uniques.map((name) => <option key={name}>{name}</option>)}
            </select>
          </label>
          <div className="row">
            <button type="button" disabled={running} onClick={() => void start(true)}>Check</button>
            <button type="button" disabled={running} onClick={() => void start(false)}>Import</button>
            {running && <button type="button" onClick={() => void cancel()}>Cancel</button>}
          </div>
        </>
      )}
      {job && <JobProgress job={job} />}
      {job?.error ? <Problem error={new Error(String((job.error as { message?: string }).message ?? job.state))} /> : null}
      {job && job.errors_preview && job.errors_preview.length > 0 && (
        <table className="problems" aria-label="Problems">
          <thead>
            <tr><th>Line</th><th>Field</th><th>Problem</th></tr>
          </thead>
          <tbody>
            {job.errors_preview.map((problem) => (
              <tr key={`${problem.line}:${problem.field}`}>
                <td>{problem.line}</td><td>{problem.field}</td><td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {job?.result?.errors_url && <a href={job.result.errors_url}>Download the error report</a>}
      {job?.result && job.result.ignored_columns && job.result.ignored_columns.length > 0 && (
        <p>Columns not imported: {job.result.ignored_columns.join(", ")}.</p>
      )}
      {error !== null && <Problem error={error} />}
    </section>
  );
}

/** Exports the records a list with `query` returns, and offers the file. */
type ExportQuery = Omit<ListOptions, "table" | "limit" | "cursor" | "include">;

export function ExportButton({ baseId, table, query }: { baseId: string; table: string; query: ExportQuery }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run() {
    setError(null);
    try {
      const started = await (await client(baseId)).records.exportCsv({ table, ...query });
      setJob(started);
      await follow(baseId, started.id, setJob);
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <>
      <button type="button" disabled={job !== null && !finished(job)} onClick={() => void run()}>Export CSV</button>
      {job && !finished(job) && <JobProgress job={job} />}
      {job?.result?.download_url && <a href={job.result.download_url} download={`${table}.csv`}>Download {table}.csv</a>}
      {error !== null && <Problem error={error} />}
    </>
  );
}
