// Attachments as file fields hold them: read defensively, shown by name and size.

export type Attachment = { id: string; name: string; size: number; content_type: string; url?: string };

/** The attachments of a file field's value (null, or anything else, is none). */
export function attachmentsOf(value: unknown): Attachment[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is Attachment =>
      typeof item === "object" && item !== null && typeof (item as Attachment).id === "string" && typeof (item as Attachment).name === "string",
  );
}

/** Whether the browser can preview it as an image. */
export const isImage = (file: Attachment): boolean => /^image\/(png|jpeg|gif|webp|avif|svg\+xml)$/.test(file.content_type);

/** A size for people: `512 B`, `1.5 KB`, `3.2 MB`. */
export function sizeText(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** What a file field's cell shows: its files' names. */
export const filesText = (value: unknown): string => attachmentsOf(value).map((file) => file.name).join(", ");
