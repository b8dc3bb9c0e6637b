// Base archives as the console shows them: an export's or a restore's progress, the file
// name to save it under, and what a restore (or a clone) made and left for an admin to do.
// Pure, tested without a browser.

/** What a restore or a clone made (`result.restored` of its job). */
export interface Restored {
  source: string;
  tables: number;
  records: number;
  files: number;
  files_omitted: number;
  views_to_publish: string[];
  tokens_not_restored: number;
  view_keys_not_restored: number;
  webhooks_disabled: number;
}

/** The parts of a job the progress reads. */
export interface ArchiveJob {
  kind: string;
  state: string;
  progress: { rows_read: number; rows_written: number; rows_total?: number | null };
}

export const finished = (job: { state: string }): boolean => !["queued", "running"].includes(job.state);

const number = (value: number): string => value.toLocaleString("en");
const counted = (value: number, noun: string): string => `${number(value)} ${noun}${value === 1 ? "" : "s"}`;

/** Records done: read into the archive (an export) or loaded into the new base (a restore or clone). */
const done = (job: ArchiveJob): number => (job.kind === "export_base" ? job.progress.rows_read : job.progress.rows_written);

/**
 * The share of the job done: 1 once it succeeded, where it stopped if it failed, and
 * undefined while it runs without a known total (an indeterminate bar).
 */
export function archiveShare(job: ArchiveJob): number | undefined {
  if (job.state === "succeeded") return 1;
  const total = job.progress.rows_total;
  if (total === null || total === undefined) return finished(job) ? 0 : undefined;
  return total === 0 ? 0 : Math.min(1, done(job) / total);
}

/** The job's state and records as a person reads them: `running: 120 of 1,200 records`. */
export function archiveProgressText(job: ArchiveJob): string {
  const total = job.progress.rows_total;
  const records = total === null || total === undefined
    ? counted(done(job), "record")
    : `${number(done(job))} of ${counted(total, "record")}`;
  return `${job.state}: ${records}`;
}

/** A file name for a base's archive, without the characters file systems refuse. */
export function archiveFileName(baseName: string): string {
  const safe = baseName.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-").trim() || "base";
  return `${safe}.ncbase.gz`;
}

/** A restored base's name from its archive's file name: `Shop.ncbase.gz` restores as `Shop`. */
export function nameFromArchive(fileName: string): string {
  return fileName.replace(/\.ncbase\.gz$/i, "").replace(/\.gz$/i, "").trim().slice(0, 100);
}

/** A clone's default name (base names have up to 100 characters). */
export function copyName(name: string): string {
  const suffix = " copy";
  return `${name.slice(0, 100 - suffix.length)}${suffix}`;
}

/**
 * What a restore made and what it left to do, in one sentence: `3 tables, 1,200 records
 * restored; publish again: orders-view; tokens are not restored: create new ones (2); …`.
 */
export function restoredReport(restored: Restored): string {
  const made = [counted(restored.tables, "table"), counted(restored.records, "record")];
  if (restored.files > 0) made.push(counted(restored.files, "file"));
  const parts = [`${made.join(", ")} restored`];
  if (restored.files_omitted > 0) {
    parts.push(`attachments left out, their bytes not being in the archive (${number(restored.files_omitted)})`);
  }
  if (restored.views_to_publish.length > 0) parts.push(`publish again: ${restored.views_to_publish.join(", ")}`);
  if (restored.tokens_not_restored > 0) {
    parts.push(`tokens are not restored: create new ones (${number(restored.tokens_not_restored)})`);
  }
  if (restored.view_keys_not_restored > 0) {
    parts.push(`view keys are not restored: create new ones (${number(restored.view_keys_not_restored)})`);
  }
  if (restored.webhooks_disabled > 0) {
    parts.push(`webhooks restored disabled: enable them after taking their new secret (${number(restored.webhooks_disabled)})`);
  }
  return `${parts.join("; ")}.`;
}

/** Why a job failed, from its error (the API's error shape), or its state. */
export function jobFailure(job: { state: string; error: unknown }): { code?: string; message: string; details: Record<string, unknown> } {
  const error = (job.error ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  const message = typeof error.message === "string" && error.message ? error.message : `The job ended ${job.state}.`;
  const details = typeof error.details === "object" && error.details !== null ? (error.details as Record<string, unknown>) : {};
  return { code: typeof error.code === "string" ? error.code : undefined, message, details };
}

/** The parts of an undo's report the console reads (`undoChanges`). */
export interface UndoCounts {
  dry_run: boolean;
  changes: number;
  updated: number;
  recreated: number;
  deleted: number;
  unchanged: number;
  skipped_tables: string[];
}

/** A time picked in a `datetime-local` input (the person's own time zone), as RFC 3339 UTC. */
export function undoTime(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local)) return null;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** What an undo wrote, or (a preview) would write, as a sentence. */
export function undoSummary(report: UndoCounts): string {
  const writes = report.updated + report.recreated + report.deleted;
  const parts = [
    report.updated ? `${counted(report.updated, "record")} put back` : "",
    report.recreated ? `${counted(report.recreated, "deleted record")} created again` : "",
    report.deleted ? `${counted(report.deleted, "new record")} deleted` : "",
  ].filter(Boolean);
  const changed = `${counted(report.changes, "change")} since then`;
  if (writes === 0) return `${changed}: nothing to undo, every record is as it was then.`;
  const verb = report.dry_run ? "Undoing would write" : "Undone";
  const left = report.unchanged ? ` ${counted(report.unchanged, "record")} changed and came back: left alone.` : "";
  const dropped = report.skipped_tables.length
    ? ` ${counted(report.skipped_tables.length, "dropped table")}: left alone.`
    : "";
  return `${changed}. ${verb}: ${parts.join(", ")}.${left}${dropped}`;
}
