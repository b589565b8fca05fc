/**
 * Reads the general-purpose flags of ZIP local file headers as they stream
 * past. fflate's streaming `Unzip` does not expose them, and without them an
 * encrypted entry cannot be told from a damaged one. The walk mirrors
 * fflate's (sized entries are skipped exactly; after an entry with a data
 * descriptor the next signature is searched), so the n-th header seen here
 * is the n-th file fflate reports.
 */

/** What the simulator needs from one local file header. */
export interface ZipLocalHeader {
  name: string;
  /** General-purpose bit flags (bit 0: encrypted, bit 3: data descriptor, bit 11: UTF-8). */
  flags: number;
  /** Compression method (0 store, 8 deflate, 99 AES). */
  method: number;
}

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const EMPTY = new Uint8Array(0);

const u16 = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, i: number) => (u16(b, i) | (u16(b, i + 2) << 16)) >>> 0;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** Decodes an entry name the way fflate does (UTF-8 with bit 11, else Latin-1). */
function decodeName(bytes: Uint8Array, flags: number): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.toString(flags & 0x800 ? "utf8" : "latin1");
}

/** The compressed size from a ZIP64 extra field, when the header defers to it. */
function zip64CompressedSize(extra: Uint8Array, sizeDeferred: boolean): number | undefined {
  for (let i = 0; i + 4 <= extra.byteLength; ) {
    const id = u16(extra, i);
    const size = u16(extra, i + 2);
    if (id === 0x0001) {
      const at = i + 4 + (sizeDeferred ? 8 : 0);
      if (at + 8 > i + 4 + size) return undefined;
      return u32(extra, at) + u32(extra, at + 4) * 2 ** 32;
    }
    i += 4 + size;
  }
  return undefined;
}

/** Follows the local file headers of a ZIP stream; bounded memory. */
export class ZipHeaderTracker {
  private readonly queue: ZipLocalHeader[] = [];
  private mode: "scan" | "descriptor" | "skip" | "done" = "scan";
  private skip = 0;
  private rest: Uint8Array = EMPTY;

  /** Feeds the next bytes of the archive. */
  push(chunk: Uint8Array): void {
    let data = chunk;
    while (data.byteLength > 0 && this.mode !== "done") {
      if (this.mode === "skip") {
        const n = Math.min(this.skip, data.byteLength);
        this.skip -= n;
        data = data.subarray(n);
        if (this.skip === 0) this.mode = "scan";
        continue;
      }
      const buf = concat(this.rest, data);
      this.rest = EMPTY;
      data = this.scan(buf);
    }
  }

  /**
   * The header of the next file fflate reports as `name`, skipping headers
   * this walk saw that fflate did not; `undefined` when lost.
   */
  next(name: string): ZipLocalHeader | undefined {
    while (this.queue.length > 0) {
      const header = this.queue.shift() as ZipLocalHeader;
      if (header.name === name) return header;
    }
    return undefined;
  }

  /** Looks for the next signature; returns the bytes left to process after a mode change. */
  private scan(buf: Uint8Array): Uint8Array {
    let i = 0;
    while (i + 4 <= buf.byteLength) {
      const sig = u32(buf, i);
      if (sig === LOCAL) {
        const fnl = u16(buf, i + 26);
        const es = u16(buf, i + 28);
        const end = i + 30 + fnl + es;
        if (i + 30 > buf.byteLength || end > buf.byteLength) break;
        const flags = u16(buf, i + 6);
        const method = u16(buf, i + 8);
        this.queue.push({
          name: decodeName(buf.subarray(i + 30, i + 30 + fnl), flags),
          flags,
          method,
        });
        if (flags & 8) {
          this.mode = "descriptor";
        } else {
          let size: number | undefined = u32(buf, i + 18);
          if (size === 0xffffffff) {
            size = zip64CompressedSize(
              buf.subarray(i + 30 + fnl, end),
              u32(buf, i + 22) === 0xffffffff,
            );
          }
          if (size === undefined) {
            this.mode = "done";
            return EMPTY;
          }
          this.mode = size > 0 ? "skip" : "scan";
          this.skip = size;
        }
        return buf.subarray(end);
      }
      if (sig === DESCRIPTOR && this.mode === "descriptor") {
        this.mode = "scan";
        i += 4;
        continue;
      }
      if (sig === CENTRAL) {
        this.mode = "done";
        return EMPTY;
      }
      i++;
    }
    // Keep an unfinished header, or the last bytes that may start a signature.
    this.rest = buf.slice(i);
    return EMPTY;
  }
}
