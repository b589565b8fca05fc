import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";

/**
 * How a hostile Redis answers one command (its name and arguments, as
 * sent): RESP text to write back (e.g. `-ERR ...\r\n`), or `undefined` to
 * stay silent.
 */
export type HostileRedisHandler = (command: string[]) => string | undefined;

/** A running hostile Redis on 127.0.0.1. */
export interface HostileRedis extends AsyncDisposable {
  /** Host of the server (`127.0.0.1`). */
  host: string;
  /** Port chosen by the system. */
  port: number;
  /** Every command received, in order. */
  commands: string[][];
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/** A RESP error reply: `-<text>\r\n` (line breaks in `text` become spaces). */
export const respError = (text: string) => `-${text.replace(/[\r\n]+/g, " ")}\r\n`;

/**
 * The complete commands at the start of `buffer` (arrays of bulk strings, as
 * clients send them) and how many bytes they took.
 */
function parseCommands(buffer: Buffer): { commands: string[][]; used: number } {
  const commands: string[][] = [];
  let at = 0;
  const line = (from: number) => {
    const end = buffer.indexOf("\r\n", from);
    return end < 0 ? undefined : { text: buffer.toString("latin1", from, end), next: end + 2 };
  };
  for (;;) {
    const header = line(at);
    if (!header?.text.startsWith("*")) return { commands, used: at };
    let next = header.next;
    const args: string[] = [];
    for (let i = Number(header.text.slice(1)); i > 0; i--) {
      const size = line(next);
      if (!size) return { commands, used: at };
      const length = Number(size.text.slice(1));
      if (buffer.length < size.next + length + 2) return { commands, used: at };
      args.push(buffer.toString("utf8", size.next, size.next + length));
      next = size.next + length + 2;
    }
    commands.push(args);
    at = next;
  }
}

/**
 * Starts a TCP server on 127.0.0.1 (port chosen by the system) that speaks
 * just enough RESP to play a hostile Redis: it reads each command a client
 * sends and answers what `handler` returns (an error quoting the password
 * the client authenticated with, say), or nothing.
 */
export async function startHostileRedis(handler: HostileRedisHandler): Promise<HostileRedis> {
  const commands: string[][] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      const parsed = parseCommands(pending);
      pending = pending.subarray(parsed.used);
      for (const command of parsed.commands) {
        commands.push(command);
        const reply = handler(command);
        if (reply !== undefined) socket.write(reply);
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { host: "127.0.0.1", port, commands, close, [Symbol.asyncDispose]: close };
}
