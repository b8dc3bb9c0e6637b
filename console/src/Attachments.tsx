// A record's attachments, one click from its row: for each file field, its files with image
// previews and download links, an upload with a progress bar (straight to the object store,
// by the form files:signUpload answers), and removal.

import type { ApiRecord, Schemas } from "@nclcdbaas/sdk";
import { useState } from "react";
import { attachmentsOf, isImage, sizeText, type Attachment } from "./files";
import { useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";
import { postUpload } from "./upload";

type Table = Schemas["Table"];

export function Attachments({ baseId, table, record, readOnly, onChanged, onClose }: {
  baseId: string;
  table: Table;
  record: ApiRecord;
  readOnly: boolean;
  onChanged: () => void;
  onClose: () => void;
}) {
  // Read afresh: addresses are signed for a while, and the grid's copy may be older.
  const loaded = useLoaded(async () => (await client(baseId)).records.get({ table: table.name, id: record.id }), [
    baseId,
    table.name,
    record.id,
  ]);
  const [error, setError] = useState<unknown>(null);
  const [uploading, setUploading] = useState<{ field: string; name: string; share: number } | null>(null);
  const current = loaded.data ?? record;
  const fields = table.fields.filter((field) => field.type === "file");

  async function write(field: string, files: Attachment[]) {
    const values = { [field]: files.map((file) => ({ id: file.id, name: file.name })) };
    await (await client(baseId)).records.update({ table: table.name, id: record.id, values });
    loaded.reload();
    onChanged();
  }

  async function upload(field: string, file: File) {
    setError(null);
    setUploading({ field, name: file.name, share: 0 });
    try {
      const api = await client(baseId);
      const form = await api.call("signUpload", {
        body: { name: file.name, content_type: file.type || "application/octet-stream", size: file.size },
      });
      await postUpload(form, file, (share) => setUploading({ field, name: file.name, share }));
      const files = attachmentsOf(current.values[field]);
      await write(field, [...files, { id: form.file_id, name: file.name, size: file.size, content_type: file.type }]);
    } catch (failure) {
      setError(failure);
    } finally {
      setUploading(null);
    }
  }

  return (
    <section className="related" aria-label="Attachments">
      <div className="toolbar">
        <h3>Attachments</h3>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      <Problem error={loaded.error ?? error} />
      {fields.map((field) => {
        const files = attachmentsOf(current.values[field.name]);
        const accepted = field.options ?? [];
        return (
          <div key={field.name} className="attachments">
            <h4>{field.name}</h4>
            {files.length === 0 && <p className="hint">No files.</p>}
            <ul aria-label={`Files of ${field.name}`}>
              {files.map((file) => (
                <li key={file.id}>
                  {isImage(file) && file.url && <img src={file.url} alt={file.name} className="preview-image" />}
                  <a href={file.url ?? undefined} download={file.name}>{file.name}</a>{" "}
                  <span className="hint">{sizeText(file.size)}</span>{" "}
                  {!readOnly && (
                    <button type="button" aria-label={`Remove ${file.name}`}
                      onClick={() => void write(field.name, files.filter((other) => other.id !== file.id)).catch(setError)}>
                      Remove
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {!readOnly && (
              <label>
                Upload to {field.name}{" "}
                <input
                  type="file"
                  accept={accepted.join(",") || undefined}
                  disabled={uploading !== null}
                  onChange={(event) => {
                    const file = event.currentTarget.files?.[0];
                    event.currentTarget.value = "";
                    if (file) void upload(field.name, file);
                  }}
                />
              </label>
            )}
            {uploading?.field === field.name && (
              <p>
                Uploading {uploading.name}{" "}
                <progress aria-label={`Uploading ${uploading.name}`} max={1} value={uploading.share} />
              </p>
            )}
            {accepted.length > 0 && <p className="hint">Takes {accepted.join(", ")}.</p>}
          </div>
        );
      })}
    </section>
  );
}
