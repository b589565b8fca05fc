import { setWatchedBody, type WatchedBody } from "../internal/watch-body.js";

/** Decodes as `Response.text()` does: UTF-8, a leading BOM dropped, bad sequences replaced. */
const utf8 = new TextDecoder();

/** The chunks of a body in one fresh buffer of exactly their length. */
function joined(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const chunk of chunks) size += chunk.byteLength;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Reads a web stream to its end. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

const unusable = () => new TypeError("Body is unusable: Body has already been read");

/**
 * The `Response` of the Node transport: a real `Response` (`instanceof`,
 * status, headers, every body method), whose body is a {@link WatchedBody}
 * over the Node stream of the answer. Read whole — `text()`, `json()`,
 * `arrayBuffer()`, `bytes()`, `blob()`, `formData()` — the chunks come
 * straight from the socket, without a web stream in between; `body` hands
 * out a web stream (made on first use) for reading it piece by piece. The
 * limits and timeouts of the watched body apply either way. As with any
 * `Response`, the body is read once.
 */
export class NodeResponse extends Response {
  readonly #watched: WatchedBody | null;
  /** The body after `clone()`: one branch of the tee. */
  #branch: ReadableStream<Uint8Array> | undefined;
  #branchRead = false;

  constructor(watched: WatchedBody | null, init: ResponseInit) {
    super(null, init);
    this.#watched = watched;
    setWatchedBody(this, watched);
  }

  // `body` and `bodyUsed` stay declared as `Response` declares them (properties:
  // accessors in the published types would clash with consumers' `Response`);
  // their getters are installed on the prototype here.
  static {
    Object.defineProperties(NodeResponse.prototype, {
      body: {
        configurable: true,
        get(this: NodeResponse) {
          return this.#branch ?? this.#watched?.stream() ?? null;
        },
      },
      bodyUsed: {
        configurable: true,
        get(this: NodeResponse) {
          return this.#branch ? this.#branchRead : (this.#watched?.used ?? false);
        },
      },
    });
  }

  async #chunks(): Promise<Uint8Array[]> {
    if (this.#branch) {
      if (this.#branchRead || this.#branch.locked) throw unusable();
      this.#branchRead = true;
      return drain(this.#branch);
    }
    const watched = this.#watched;
    if (!watched) return [];
    const stream = watched.handedOut;
    // A stream already handed out and taken by a reader: its bytes are that reader's.
    if (stream?.locked) throw unusable();
    // Held from now on, as a `Response` holds its stream while it reads it whole.
    stream?.getReader();
    return watched.readAll();
  }

  override async text(): Promise<string> {
    const chunks = await this.#chunks();
    return utf8.decode(chunks.length === 1 ? chunks[0] : joined(chunks));
  }

  override async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return joined(await this.#chunks()).buffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return joined(await this.#chunks());
  }

  override async blob(): Promise<Blob> {
    const chunks = await this.#chunks();
    return new Blob(chunks as BlobPart[], { type: this.headers.get("content-type") ?? "" });
  }

  override async formData(): Promise<FormData> {
    const bytes = joined(await this.#chunks());
    return new Response(bytes, { headers: this.headers }).formData();
  }

  override clone(): Response {
    if (this.bodyUsed || this.body?.locked) {
      throw new TypeError("Response.clone: Body has already been consumed.");
    }
    const init = { status: this.status, statusText: this.statusText, headers: this.headers };
    const body = this.body;
    if (!body) return new Response(null, init);
    const [mine, theirs] = body.tee();
    this.#branch = mine;
    return new Response(theirs, init);
  }
}
