/**
 * The k highest-scoring items of a stream, in a bounded min-heap: the weakest kept item sits at the root, so a
 * candidate that cannot enter costs one comparison, and one that can costs O(log k).
 */
export class TopK {
  private readonly indices: Int32Array;
  private readonly scores: Float64Array;
  private count = 0;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    this.indices = new Int32Array(k);
    this.scores = new Float64Array(k);
  }

  get size(): number {
    return this.count;
  }

  /** The score an item must beat to enter (−∞ until the heap is full). */
  get threshold(): number {
    return this.count < this.k ? -Infinity : this.scores[0];
  }

  push(index: number, score: number): void {
    if (this.count < this.k) {
      let i = this.count++;
      // Sift up.
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent] <= score) break;
        this.scores[i] = this.scores[parent];
        this.indices[i] = this.indices[parent];
        i = parent;
      }
      this.scores[i] = score;
      this.indices[i] = index;
      return;
    }
    if (score <= this.scores[0]) return;
    // Replace the root and sift down.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.k) break;
      const right = left + 1;
      const child = right < this.k && this.scores[right] < this.scores[left] ? right : left;
      if (this.scores[child] >= score) break;
      this.scores[i] = this.scores[child];
      this.indices[i] = this.indices[child];
      i = child;
    }
    this.scores[i] = score;
    this.indices[i] = index;
  }

  /** The kept items, highest score first (ties: lower index first, so results are reproducible). */
  sorted(): { index: number; score: number }[] {
    const out = Array.from({ length: this.count }, (_, i) => ({ index: this.indices[i], score: this.scores[i] }));
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}
