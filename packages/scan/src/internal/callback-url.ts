import { registeredSecrets } from "@mdkit/core";
import { CallbackReceiverError } from "../errors.js";

/** A receiver's public base URL, checked, without a trailing slash. */
export function checkPublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CallbackReceiverError(
      "the callback receiver's public URL is not a URL: give the http(s) address the gateway can reach it at, e.g. http://10.0.0.5:8081/mdkit-callbacks",
    );
  }
  const problem =
    url.protocol !== "http:" && url.protocol !== "https:"
      ? `uses ${url.protocol} (only http: and https: are called back)`
      : url.username || url.password
        ? "carries credentials"
        : url.search
          ? "has a query string"
          : url.hash
            ? "has a fragment"
            : registeredSecrets().some((secret) => secret.length >= 4 && value.includes(secret))
              ? "contains a registered secret"
              : undefined;
  if (problem) {
    // The URL itself is not repeated: it may be what carries the secret.
    throw new CallbackReceiverError(
      `the callback receiver's public URL ${problem}; callback URLs travel in clear through the gateway, its logs and proxies: give a plain http(s)://host:port/path`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** A path prefix as the receiver sees it: leading slash, no trailing slash ("" for the root). */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" || trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}
