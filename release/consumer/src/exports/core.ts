// @mdkit/core as a consumer sees it: the portable entry and the Node entry (`@mdkit/core/node`).
import {
  type AuthStrategy,
  type BinaryBody,
  type FetchLike,
  HttpError,
  isHttpError,
  NotFoundError,
  redactText,
  unwrap,
} from "@mdkit/core";
import { createNodeFetch, type FileBlob, type NodeFetch, openFileBlob } from "@mdkit/core/node";

export const body: BinaryBody = new Uint8Array([1, 2, 3]);
export const strategy: AuthStrategy = { getHeaders: () => ({ apikey: "key" }) };
export const transport: NodeFetch = createNodeFetch({ keepAlive: false });
export const fetchLike: FetchLike = transport;
export const opened: Promise<FileBlob> = openFileBlob("package.json");
export const redacted: string = redactText("apikey=secret", ["secret"]);
export const notFound: boolean =
  isHttpError(new Error("x")) || NotFoundError.prototype instanceof HttpError;
export const unwrapped: Promise<number> = unwrap(
  Promise.resolve({ data: 1, response: new Response() }),
);
