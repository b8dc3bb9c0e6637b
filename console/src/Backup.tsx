// Base archives: a base's Backup section (export it to an archive to download, with or
// without its files' bytes; clone it into a workspace the person administers), and the
// home page's restore of an archive into a new base (uploaded straight to the object store
// through a base of the workspace, then restored as a job). Each job is followed until it
// ends with a progress bar; a restore or clone ends with what it made and what is left to do.

import { ApiError, type Schemas } from "@nclcdbaas/sdk";
import { useEffect, useRef, useState, type FormEvent } from "react";
import {
  archiveFileName,
  archiveProgressText,
  archiveShare,
  copyName,
  finished,
  jobFailure,
  nameFromArchive,
  restoredReport,
  undoSummary,
  undoTime,
} from "./archive";
import { useChange, useLoaded } from "./hooks";
import { can, hrefOf } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";
import { postUpload } from "./upload";

type Base = Schemas["Base"];
type BaseSummary = Schemas["BaseSummary"];
type Job = Schemas["Job"];

/** How often a job is asked again while it runs. */
const POLL_MS = 1000;

/**
 * A job followed until it ends: `follow` asks for it about every second (on a client of the
 * base it belongs to: for a restore or clone, the new base) and stops when the screen goes.
 */
function useFollowedJob() {
  const [job, setJob] = useState<Job | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  async function follow(baseId: string, started: Job): Promise<Job> {
    let current = started;
    setJob(current);
    while (!finished(current)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (!mounted.current) break;
      current = await (await client(baseId)).call("getJob", { path: { jobId: current.id } });
      if (mounted.current) setJob(current);
    }
    return current;
  }
  return { job, setJob, follow };
}

/** A failed job's error, as the API's errors show (its code kept for `Problem`). */
const failureOf = (job: Job): Error => {
  const failure = jobFailure(job);
  return failure.code ? new ApiError(0, failure.code, failure.message, undefined, failure.details) : new Error(failure.message);
};

export function ArchiveProgress({ job, label }: { job: Job; label: string }) {
  return (
    <div className="job" data-testid="archive-job">
      <progress max={1} value={archiveShare(job)} aria-label={label} />
      <span>{archiveProgressText(job)}</span>
    </div>
  );
}

/** A restore's or clone's end: what it made, with a link to the new base; or why it failed. */
function Outcome({ job, base }: { job: Job; base: BaseSummary }) {
  const restored = job.result?.restored;
  if (job.state === "succeeded") {
    return (
      <div className="report" role="status" data-testid="restore-report">
        <p>{restored ? restoredReport(restored) : "Restored."}</p>
        <a href={hrefOf({ screen: "base", baseId: base.id, section: "tables" })}>Open {base.name}</a>
      </div>
    );
  }
  if (!finished(job)) return null;
  return (
    <>
      <Problem error={failureOf(job)} />
      <p className="hint">The new base {base.name} was not made: nothing else changed.</p>
    </>
  );
}

/** A base's Backup section, for its admins. */
export function Backup({ base }: { base: Base }) {
  return (
    <section className="backup">
      <h2>Backup</h2>
      <p className="hint">
        An archive holds the base's tables, fields, views, records and settings. Restored, it makes a new base with the
        same records (ids and versions kept); API tokens and view keys are not in it, and webhooks come back disabled.
      </p>
      <ExportPanel base={base} />
      <ClonePanel base={base} />
      <UndoPanel base={base} />
    </section>
  );
}

function ExportPanel({ base }: { base: Base }) {
  const followed = useFollowedJob();
  const change = useChange();
  const [refreshed, setRefreshed] = useState<unknown>(null);
  const { job } = followed;

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const include_files = new FormData(event.currentTarget).get("include_files") === "on";
    void change.run(async () => {
      followed.setJob(null);
      const started = await (await client()).call("exportBase", { path: { baseId: base.id }, body: { include_files } });
      await followed.follow(base.id, started);
    });
  }

  /** The download address is signed for a while: the job gives a fresh one. */
  async function refresh() {
    if (!job) return;
    setRefreshed(null);
    try {
      followed.setJob(await (await client(base.id)).call("getJob", { path: { jobId: job.id } }));
    } catch (failure) {
      setRefreshed(failure);
    }
  }

  const file = archiveFileName(base.name);
  const url = job?.state === "succeeded" ? job.result?.download_url : null;
  return (
    <div className="panel">
      <h3>Export this base</h3>
      <form className="inline" aria-label="Export this base" onSubmit={start}>
        <label>
          <input type="checkbox" name="include_files" /> Include the files' bytes
        </label>
        <button type="submit" disabled={change.busy}>Export</button>
      </form>
      <p className="hint">Without the files' bytes, the archive names attached files, and a restore leaves those fields empty.</p>
      <Problem error={change.error ?? refreshed} />
      {job && <ArchiveProgress job={job} label="Export progress" />}
      {job && url && (
        <p data-testid="export-download">
          <a href={url} download={file}>Download {file}</a>{" "}
          <span className="hint">
            Job <code>{job.id}</code>
            {job.result?.expires_at ? `; the link works until ${job.result.expires_at}` : ""}.
          </span>{" "}
          <button type="button" className="link" onClick={() => void refresh()}>New link</button>
        </p>
      )}
      {job && finished(job) && job.state !== "succeeded" && <Problem error={failureOf(job)} />}
    </div>
  );
}

function ClonePanel({ base }: { base: Base }) {
  const workspaces = useLoaded(async () => {
    const listed = await (await client()).call("listWorkspaces");
    return listed.data.filter((workspace) => can(workspace.role, "alterSchema") && !workspace.suspended);
  }, []);
  const followed = useFollowedJob();
  const change = useChange();
  const [made, setMade] = useState<BaseSummary | null>(null);
  const { job } = followed;

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const workspace = String(form.get("workspace") ?? "") || undefined;
    const include_files = form.get("include_files") === "on";
    void change.run(async () => {
      followed.setJob(null);
      setMade(null);
      const answer = await (await client()).call("cloneBase", {
        path: { baseId: base.id },
        body: { name, include_files, ...(workspace ? { workspace } : {}) },
      });
      setMade(answer.base);
      await followed.follow(answer.base.id, answer.job);
    });
  }

  const choices = workspaces.data ?? [];
  return (
    <div className="panel">
      <h3>Clone this base</h3>
      <form className="inline" aria-label="Clone this base" onSubmit={start}>
        <label>
          Name <input name="name" required maxLength={100} defaultValue={copyName(base.name)} />
        </label>
        <label>
          Workspace{" "}
          <select name="workspace" key={choices.length} defaultValue={base.workspace_id ?? choices[0]?.id}>
            {choices.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>{workspace.name}</option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" name="include_files" defaultChecked /> Copy the files' bytes
        </label>
        <button type="submit" disabled={change.busy || workspaces.data === null}>Clone</button>
      </form>
      <Problem error={workspaces.error ?? change.error} />
      {job && <ArchiveProgress job={job} label="Clone progress" />}
      {job && made && <Outcome job={job} base={made} />}
    </div>
  );
}

type UndoReport = Schemas["UndoReport"];

/** A record's values as one line: `name: Ada, total: 10`; "(none)" for a record absent then or now. */
const valuesText = (values: unknown): string =>
  values && typeof values === "object"
    ? Object.entries(values as Record<string, unknown>)
        .map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ")
    : "(none)";

/**
 * Undo everything written to the base after a time: a preview first (what each record goes
 * back to, latest first), then the undo of exactly what the preview showed (refused, with
 * nothing written, if a record it covers was written since).
 */
function UndoPanel({ base }: { base: Base }) {
  const [preview, setPreview] = useState<UndoReport | null>(null);
  const [done, setDone] = useState<UndoReport | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const change = useChange();

  function look(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const after = undoTime(String(new FormData(event.currentTarget).get("after") ?? ""));
    setInvalid(after ? null : "Pick a date and a time.");
    if (!after) return;
    void change.run(async () => {
      setPreview(null);
      setDone(null);
      setPreview(await (await client()).call("undoChanges", { path: { baseId: base.id }, body: { after, dry_run: true } }));
    });
  }

  function undo() {
    if (!preview) return;
    const { after, through } = preview;
    void change.run(async () => {
      setDone(await (await client()).call("undoChanges", { path: { baseId: base.id }, body: { after, through } }));
      setPreview(null);
    });
  }

  const writes = preview ? preview.updated + preview.recreated + preview.deleted : 0;
  return (
    <div className="panel">
      <h3>Undo changes since a time</h3>
      <p className="hint">
        Every record written after the time goes back to what it was then, by writes of yours that the history keeps
        (and that can be undone in turn). Schema changes are not undone.
      </p>
      <form className="inline" aria-label="Preview an undo" onSubmit={look}>
        <label>
          Undo what changed after <input type="datetime-local" name="after" step={1} required />
        </label>
        <button type="submit" disabled={change.busy}>Preview</button>
      </form>
      {invalid && <p className="error" role="alert">{invalid}</p>}
      <Problem error={change.error} />
      {preview && (
        <div data-testid="undo-preview">
          <p role="status">{undoSummary(preview)}</p>
          {preview.records.length > 0 && (
            <table className="list">
              <thead>
                <tr><th>Table</th><th>Record</th><th>Goes</th><th>Now</th><th>Then</th></tr>
              </thead>
              <tbody>
                {preview.records.map((item) => (
                  <tr key={`${item.table}:${item.record_id}`}>
                    <td>{item.table}</td>
                    <td><code>{item.record_id.slice(0, 8)}</code></td>
                    <td>{item.action === "update" ? "back" : item.action === "create" ? "created again" : "deleted"}</td>
                    <td>{valuesText(item.now)}</td>
                    <td>{valuesText(item.then)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.records.length < writes && <p className="hint">The first {preview.records.length} of {writes} records.</p>}
          {writes > 0 && (
            <button type="button" className="danger" disabled={change.busy} onClick={undo}>
              Undo {writes} record{writes === 1 ? "" : "s"}
            </button>
          )}
        </div>
      )}
      {done && <p role="status" data-testid="undo-done">{undoSummary(done)}</p>}
    </div>
  );
}

/**
 * The home page's restore into `workspace`: the archive is uploaded through `holder`, a base
 * of the workspace (an upload belongs to a base), then restored into a new base.
 */
export function RestoreArchive({ workspace, holder, changed }: {
  workspace: Schemas["Workspace"];
  holder: BaseSummary | undefined;
  changed: () => unknown;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [made, setMade] = useState<BaseSummary | null>(null);
  const followed = useFollowedJob();
  const change = useChange();
  const { job } = followed;

  if (!holder) {
    return (
      <p className="hint">
        To restore an archive here, create a base first: the archive is uploaded through a base of the workspace.
      </p>
    );
  }
  const through = holder;

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return;
    const chosen = file;
    void change.run(async () => {
      followed.setJob(null);
      setMade(null);
      setUploaded(0);
      const form = await (await client(through.id)).call("signUpload", {
        body: { name: chosen.name, content_type: "application/gzip", size: chosen.size },
      });
      // The store takes the content type it signed, whatever the browser calls the file.
      await postUpload(form, new File([chosen], chosen.name, { type: "application/gzip" }), setUploaded);
      setUploaded(null);
      const answer = await (await client()).call("restoreBase", {
        path: { workspaceId: workspace.id },
        body: { name: name.trim(), from: { base: through.id, file: form.file_id } },
      });
      setMade(answer.base);
      void changed();
      await followed.follow(answer.base.id, answer.job);
      void changed();
    }).finally(() => setUploaded(null));
  }

  return (
    <div className="restore">
      <form className="inline" aria-label={`Restore from an archive into ${workspace.name}`} onSubmit={start}>
        <label>
          Archive to restore{" "}
          <input
            type="file"
            accept=".gz,application/gzip"
            required
            onChange={(event) => {
              const picked = event.currentTarget.files?.[0] ?? null;
              setFile(picked);
              if (picked && (!name || name === nameFromArchive(file?.name ?? ""))) setName(nameFromArchive(picked.name));
            }}
          />
        </label>
        <label>
          Name <input name="name" required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <button type="submit" disabled={change.busy || !file}>Restore</button>
      </form>
      {uploaded !== null && (
        <p>
          Uploading {file?.name} <progress aria-label="Upload progress" max={1} value={uploaded} />
        </p>
      )}
      <Problem error={change.error} />
      {job && <ArchiveProgress job={job} label="Restore progress" />}
      {job && made && <Outcome job={job} base={made} />}
    </div>
  );
}
