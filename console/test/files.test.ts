import { describe, expect, it } from "vitest";
import { cellOf } from "../src/cells";
import { attachmentsOf, filesText, isImage, sizeText } from "../src/files";

const png = { id: "1", name: "cat.png", size: 2048, content_type: "image/png", url: "http://store/cat" };
const pdf = { id: "2", name: "deal.pdf", size: 5, content_type: "application/pdf" };

describe("attachments", () => {
  it("reads a file field's value defensively", () => {
    expect(attachmentsOf([png, { id: 3 }, "x", null, pdf])).toEqual([png, pdf]);
    expect(attachmentsOf(null)).toEqual([]);
    expect(attachmentsOf({ id: "1" })).toEqual([]);
  });

  it("previews images only", () => {
    expect(isImage(png)).toBe(true);
    expect(isImage(pdf)).toBe(false);
    expect(isImage({ ...pdf, content_type: "image/x-unknown" })).toBe(false);
  });

  it("names sizes for people", () => {
    expect([sizeText(5), sizeText(2048), sizeText(1536), sizeText(3 * 1024 * 1024 + 1)]).toEqual(["5 B", "2.0 KB", "1.5 KB", "3.0 MB"]);
  });

  it("shows images as thumbnails in the grid, other files by name, and edits neither there", () => {
    expect(filesText([png, pdf])).toBe("cat.png, deal.pdf");
    expect(cellOf({ type: "file" }, [png, pdf])).toEqual({ kind: "images", data: ["http://store/cat"], editable: false });
    expect(cellOf({ type: "file" }, [pdf])).toEqual({ kind: "text", data: "deal.pdf", editable: false });
    expect(cellOf({ type: "file" }, null)).toEqual({ kind: "text", data: "", editable: false });
  });
});
