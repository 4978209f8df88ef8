/**
 * @module delta/own-property
 * Writing untrusted keys (column names) into plain objects safely.
 */

/**
 * Sets `key` as an own, enumerable property of `target`. Unlike `target[key] = value`, a key
 * such as `__proto__` cannot change the object's prototype.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
