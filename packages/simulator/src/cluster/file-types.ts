/** Recognises the few file types the simulator reports, from the first bytes. */
import { BINARY, type FileType } from "./file-node.js";

const ZIP: FileType = { mime: "application/zip", description: "ZIP compressed archive", id: "ZIP" };
const PDF: FileType = {
  mime: "application/pdf",
  description: "Adobe Portable Document Format",
  id: "PDF",
};
const TEXT: FileType = { mime: "text/plain", description: "ASCII text", id: "TXT" };
const EMPTY: FileType = {
  mime: "application/octet-stream",
  description: "Empty file",
  id: "EMPTY",
};

/** How many leading bytes {@link detectType} looks at. */
export const TYPE_HEAD_BYTES = 512;

/** Whether the content starts with a ZIP local file header (`PK\x03\x04`). */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

function looksLikeText(head: Uint8Array): boolean {
  for (const byte of head) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

/** The type of a file from its first {@link TYPE_HEAD_BYTES} bytes. */
export function detectType(head: Uint8Array): FileType {
  if (head.byteLength === 0) return EMPTY;
  if (isZip(head)) return ZIP;
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return PDF;
  return looksLikeText(head) ? TEXT : BINARY;
}
