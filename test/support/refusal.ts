// What a call refuses with: the message of the error of the given class it throws (anything else fails the test).
export function refusalOf(kind: abstract new (...args: never[]) => Error, f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof kind) return e.message;
    throw e;
  }
  throw new Error(`not refused: no ${kind.name} was thrown`);
}
