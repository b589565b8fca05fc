import type {} from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Prism mock of the project's spec (see prism-global-setup). */
    prismUrl: string;
  }
}
