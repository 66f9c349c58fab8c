import { ArgumentError } from "../format";

/** The ArgumentError `f` throws; fails the test when it throws nothing or something else. */
export function thrownBy(f: () => unknown): ArgumentError {
  try {
    f();
  } catch (e) {
    if (e instanceof ArgumentError) return e;
    throw new Error(`expected an ArgumentError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error("expected an ArgumentError, but nothing was thrown");
}
