/**
 * @module delta/own-property
 * Writing untrusted keys (column names) into plain objects safely.
 */

/**
 * Sets `key` as an own, enumerable property of `target`. Unlike `target[key] = value`, a key
 * such as `__proto__` cannot change the object's prototype.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  // `__proto__` is the only key of Object.prototype whose assignment does not create an own
  // property (it is a setter); every other key is assigned plainly, which keeps `target` a fast
  // object (defining each property made it a slow, dictionary-mode one).
  if (key !== "__proto__") target[key] = value;
  else
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}
