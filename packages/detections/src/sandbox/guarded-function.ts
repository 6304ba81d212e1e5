/**
 * A function Python may call and nothing more. A plain JS function handed to
 * Pyodide is a JsProxy whose `.constructor` is `Function`, and `Function` turns
 * any string into host code: one attribute walk from a detection to the host.
 * The proxy answers every property lookup with nothing and has no prototype,
 * while calls still go through the apply trap.
 */
export function guardedFunction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const target = function guarded(): void {};
  return new Proxy(target, {
    apply: (_target, _this, args) => fn(...(args as A)),
    get: () => undefined,
    has: () => false,
    getPrototypeOf: () => null,
    ownKeys: () => [],
    getOwnPropertyDescriptor: () => undefined,
    set: () => false,
    defineProperty: () => false,
  }) as unknown as (...args: A) => R;
}
