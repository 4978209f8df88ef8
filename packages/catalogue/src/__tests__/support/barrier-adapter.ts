import { type LakeAdapter, MemoryAdapter } from "@lakesync/adapter";

/**
 * A memory lake whose writes of matching keys can be held until `n` of them are waiting, so
 * tests make concurrent commits overlap deterministically (both read the same base before
 * either swaps) without sleeping.
 */
export class BarrierAdapter extends MemoryAdapter implements LakeAdapter {
  #waiting: (() => void)[] = [];
  #remaining = 0;
  #pattern: RegExp = /$^/;

  /** Holds the next `n` writes of keys matching `pattern` until all `n` have arrived. */
  arm(n: number, pattern: RegExp): void {
    this.#remaining = n;
    this.#pattern = pattern;
    this.#waiting = [];
  }

  override async putObject(path: string, data: Uint8Array) {
    if (this.#remaining > 0 && this.#pattern.test(path)) {
      this.#remaining--;
      const arrived = new Promise<void>((resolve) => this.#waiting.push(resolve));
      if (this.#remaining === 0) for (const release of this.#waiting) release();
      await arrived;
    }
    return super.putObject(path, data);
  }
}
