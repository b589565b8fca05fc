import { describe, expect, it } from "vitest";
import { parseStrictJson } from "../src/internal/strict-json.js";

describe("parseStrictJson", () => {
  it("reads what JSON.parse reads", () => {
    const samples = [
      '{"data_id":"abc","scan_results":{"scan_all_result_i":1,"scan_details":{"E1":{"threat_found":"EICAR"}}}}',
      '[1,-0,0.5,-1.25e+3,2E-2,1e400,true,false,null,"",[],{}]',
      ' \n\t{ "a" : [ 1 , { "b" : "c" } ] } \r\n',
      '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 \\udc00"',
      '{"2":"two","1":"one","x":1}',
      '"é ü 𝄞 plain unicode"',
      "123456789012345678901234567890",
    ];
    for (const text of samples) expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    expect(Object.keys(parseStrictJson('{"2":0,"1":0,"x":0}') as object)).toEqual(["1", "2", "x"]);
  });

  it("reads randomly built documents as JSON.parse does", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const build = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.3)
        return [random() * 1e6 - 5e5, 's\u00e9\n"q"', true, null][Math.floor(random() * 4)];
      if (r < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => build(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, (_, k) => [
          `k${k}\u0001`,
          build(depth + 1),
        ]),
      );
    };
    for (let k = 0; k < 200; k++) {
      const text = JSON.stringify(build(0), null, k % 2 ? 2 : undefined);
      expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    }
  });

  it("refuses a duplicate key, which JSON.parse reads as its last value", () => {
    const text = '{"scan_all_result_i":1,"scan_all_result_i":0}';
    expect(JSON.parse(text).scan_all_result_i).toBe(0);
    expect(() => parseStrictJson(text)).toThrow(/duplicate key "scan_all_result_i"/);
    expect(() => parseStrictJson('{"a":{"b":1,"b":1}}')).toThrow(SyntaxError);
    // The same key spelled with an escape is the same key.
    expect(() => parseStrictJson('{"a":1,"\\u0061":2}')).toThrow(/duplicate key "a"/);
  });

  it("keeps __proto__ an own property, as JSON.parse does", () => {
    const parsed = parseStrictJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    "",
    " ",
    "01",
    "1.",
    ".5",
    "+1",
    "-",
    "1e",
    "[1,]",
    "[1 2]",
    "{,}",
    '{"a":1,}',
    '{"a" 1}',
    "{a:1}",
    "'x'",
    "NaN",
    "tru",
    '"\\x"',
    '"\\u12"',
    '"tab\there"',
    '"open',
    "[1]x",
    "{}{}",
  ])("refuses %j, as JSON.parse does", (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseStrictJson(text)).toThrow(SyntaxError);
  });

  it("refuses nesting deeper than 512 levels instead of exhausting the stack", () => {
    expect(() => parseStrictJson(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toThrow(
      /nested deeper than 512/,
    );
    expect(parseStrictJson(`${"[".repeat(512)}${"]".repeat(512)}`)).toBeInstanceOf(Array);
  });
});

/** Texts JSON.parse accepts (keeping one of the repeated members) whose repeated key hides somewhere. */
const hiddenRepeats = [
  '[{"a":1},{"b":2,"b":2}]',
  '{"x":"\\"a\\":1","y":{"k":[{"q":1,"q":2}]}}',
  '{"a\\\\":1,"a\\\\" :2}',
  '{"a" \n:\t1, "a"\r\n: 1}',
  '{"__proto__":1,"__proto__":2}',
  '{"s":"a:b\\"c:","s":"d"}',
  '{"":1,"":1}',
];

describe("parseStrictJson on texts that look alike", () => {
  it.each(hiddenRepeats)("finds the repeated key in %s", (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(() => parseStrictJson(text)).toThrow(/duplicate key/);
  });

  it("does not mistake colons and quotes inside strings for members", () => {
    const samples = [
      '{"a":"b:c","d":"\\":\\"","e":["f:","g\\\\"],"h\\\\\\"":":"}',
      '[":", "\\":", "a\\\\", ":"]',
      '{"url":"http://x:1/a?b=c:d","t":"12:00:00"}',
      '"just: a string"',
    ];
    for (const text of samples) expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it("still refuses a repeated key when Object.prototype has been polluted", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expect(parseStrictJson('{"a":1}')).toEqual({ a: 1 });
      expect(() => parseStrictJson('{"a":1,"a":2}')).toThrow(/duplicate key/);
    } finally {
      delete proto.polluted;
    }
  });
});
