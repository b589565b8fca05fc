/** One input taken from the source and being opened, or the source's end. */
type Step<R> = { done: true } | { done: false; opened: Promise<R> };

const ignore = () => {};

/**
 * Maps the inputs through `open`, with up to `depth` inputs taken and being
 * opened ahead of the consumer, and yields the results in input order.
 * Opening files a few at a time lets their I/O overlap (each file's stat,
 * open, read and close done one after another would wake the process once
 * per step). A result is handed out as soon as it is ready, however long
 * the source takes with the next input; at most `depth` results beyond what
 * the consumer took are held. A failing source fails the iteration (after
 * the results before it). `open` must not reject: a rejection waiting its
 * turn would go unhandled.
 */
export async function* readAhead<T, R>(
  inputs: Iterable<T> | AsyncIterable<T>,
  open: (input: T) => Promise<R>,
  depth: number,
): AsyncGenerator<R> {
  const iterator =
    Symbol.asyncIterator in inputs
      ? (inputs as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (inputs as Iterable<T>)[Symbol.iterator]();
  const queue: Promise<Step<R>>[] = [];
  let ended = false;
  // The source is asked for one input at a time, each after the one before.
  let last: Promise<unknown> = Promise.resolve();
  const takeNext = () => {
    const step = last.then(async (): Promise<Step<R>> => {
      if (ended) return { done: true };
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        return { done: true };
      }
      return { done: false, opened: open(next.value) };
    });
    // Steps behind a failed one fail too; only the first is the consumer's to see.
    step.catch(ignore);
    last = step;
    queue.push(step);
  };
  try {
    for (;;) {
      while (!ended && queue.length <= depth) takeNext();
      const step = await (queue.shift() as Promise<Step<R>>);
      if (step.done) return;
      yield await step.opened;
    }
  } finally {
    if (!ended) Promise.resolve(iterator.return?.()).catch(ignore);
  }
}
