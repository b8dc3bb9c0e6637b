import { describe, expect, it } from "vitest";
import {
  archiveFileName,
  archiveProgressText,
  archiveShare,
  copyName,
  jobFailure,
  nameFromArchive,
  restoredReport,
  undoSummary,
  undoTime,
  type Restored,
} from "../src/archive";

const job = (kind: string, state: string, rows_read: number, rows_written: number, rows_total: number | null) => ({
  kind, state, progress: { rows_read, rows_written, rows_total },
});

const restored: Restored = {
  source: "b1", tables: 3, records: 1200, files: 0, files_omitted: 0, views_to_publish: [],
  tokens_not_restored: 0, view_keys_not_restored: 0, webhooks_disabled: 0,
};

describe("archives", () => {
  it("measures an export by records read and a restore by records loaded, of the records in all", () => {
    expect(archiveShare(job("export_base", "running", 30, 0, 120))).toBe(0.25);
    expect(archiveShare(job("restore_base", "running", 120, 60, 120))).toBe(0.5);
    expect(archiveShare(job("restore_base", "queued", 0, 0, null))).toBeUndefined();
    expect(archiveShare(job("export_base", "running", 0, 0, 0))).toBe(0);
    expect(archiveShare(job("restore_base", "succeeded", 0, 120, 120))).toBe(1);
    expect(archiveShare(job("export_base", "succeeded", 3, 0, null))).toBe(1);
    expect(archiveShare(job("restore_base", "failed", 0, 30, 120))).toBe(0.25);
    expect(archiveShare(job("restore_base", "cancelled", 0, 0, null))).toBe(0);
    expect(archiveProgressText(job("export_base", "running", 1200, 0, 4500))).toBe("running: 1,200 of 4,500 records");
    expect(archiveProgressText(job("restore_base", "queued", 0, 0, null))).toBe("queued: 0 records");
    expect(archiveProgressText(job("restore_base", "succeeded", 0, 1, 1))).toBe("succeeded: 1 of 1 record");
  });

  it("names files and bases", () => {
    expect(archiveFileName("Shop")).toBe("Shop.ncbase.gz");
    expect(archiveFileName('a/b: "c"')).toBe("a-b- -c-.ncbase.gz");
    expect(archiveFileName("//")).toBe("-.ncbase.gz");
    expect(nameFromArchive("Shop.ncbase.gz")).toBe("Shop");
    expect(nameFromArchive("backup.GZ")).toBe("backup");
    expect(copyName("Shop")).toBe("Shop copy");
    expect(copyName("x".repeat(100))).toHaveLength(100);
  });

  it("says what a restore made and what is left to do", () => {
    expect(restoredReport(restored)).toBe("3 tables, 1,200 records restored.");
    expect(
      restoredReport({
        ...restored, tables: 1, records: 1, files: 2, files_omitted: 1, views_to_publish: ["orders-view", "open"],
        tokens_not_restored: 2, view_keys_not_restored: 1, webhooks_disabled: 1,
      }),
    ).toBe(
      "1 table, 1 record, 2 files restored; attachments left out, their bytes not being in the archive (1); " +
        "publish again: orders-view, open; tokens are not restored: create new ones (2); " +
        "view keys are not restored: create new ones (1); " +
        "webhooks restored disabled: enable them after taking their new secret (1).",
    );
  });

  it("reads why a job failed", () => {
    const message = "The archive was written by a newer version of the service (archive format 2).";
    expect(jobFailure({ state: "failed", error: { code: "VALIDATION_ERROR", message, details: { field: "archive" } } })).toEqual({
      code: "VALIDATION_ERROR", message, details: { field: "archive" },
    });
    expect(jobFailure({ state: "cancelled", error: null })).toEqual({ code: undefined, message: "The job ended cancelled.", details: {} });
  });
});

describe("undo", () => {
  const report = { dry_run: true, changes: 8, updated: 1, recreated: 1, deleted: 2, unchanged: 2, skipped_tables: [] };

  it("reads a preview and a done undo", () => {
    expect(undoSummary(report)).toBe(
      "8 changes since then. Undoing would write: 1 record put back, 1 deleted record created again, 2 new records deleted. 2 records changed and came back: left alone.",
    );
    expect(undoSummary({ ...report, dry_run: false, unchanged: 0, skipped_tables: ["t"] })).toBe(
      "8 changes since then. Undone: 1 record put back, 1 deleted record created again, 2 new records deleted. 1 dropped table: left alone.",
    );
    expect(undoSummary({ ...report, updated: 0, recreated: 0, deleted: 0, changes: 1 })).toBe(
      "1 change since then: nothing to undo, every record is as it was then.",
    );
  });

  it("turns a picked local time into UTC and refuses the rest", () => {
    expect(undoTime("2026-12-07T10:30")).toBe(new Date("2026-12-07T10:30").toISOString());
    expect(undoTime("2026-12-07T10:30:15")).toMatch(/^2026-12-07T\d{2}:30:15\.000Z$/);
    expect(undoTime("")).toBeNull();
    expect(undoTime("yesterday")).toBeNull();
  });
});
