// Type tests of unwrap and the error guards: unwrap keeps the success type of
// whatever result it is given; the guards narrow to the typed classes.
import { describe, expectTypeOf, test } from "vitest";
import {
  type FetchResult,
  type HttpError,
  isHttpError,
  isMdkitError,
  type MdkitError,
  NotFoundError,
  unwrap,
} from "../src/index.js";

describe("unwrap", () => {
  test("resolves to the data type of a result or of its promise", () => {
    const result = {} as FetchResult<{ id: string }>;
    expectTypeOf(unwrap(result)).toEqualTypeOf<Promise<{ id: string }>>();
    expectTypeOf(unwrap(Promise.resolve(result))).toEqualTypeOf<Promise<{ id: string }>>();
  });

  test("drops undefined from openapi-fetch's success-or-error union", () => {
    const union = {} as Promise<
      | { data: number[]; error?: never; response: Response }
      | { data?: never; error: { message: string }; response: Response }
    >;
    expectTypeOf(unwrap(union)).toEqualTypeOf<Promise<number[]>>();
  });

  test("needs a response", () => {
    // @ts-expect-error a result always carries its Response
    void unwrap({ data: 1 });
  });
});

describe("error guards", () => {
  test("narrow to the typed classes", () => {
    const caught: unknown = new NotFoundError({
      status: 404,
      source: "@mdkit/core",
      request: { method: "GET", url: "http://127.0.0.1/x" },
    });
    if (isHttpError(caught)) {
      expectTypeOf(caught).toEqualTypeOf<HttpError>();
      expectTypeOf(caught.status).toEqualTypeOf<number>();
    }
    if (isMdkitError(caught)) expectTypeOf(caught).toEqualTypeOf<MdkitError>();
  });
});
