/**
 * A binary min-heap of (time, tag) events in two parallel typed arrays: no object per event, no garbage, and
 * the sift loops touch only numbers. Ties in time pop in no particular order, which is fine for continuous time.
 */
export class EventHeap {
  private times: Float64Array;
  private tags: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.tags = new Int32Array(capacity);
  }

  /** The earliest time, or Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }

  peekTag(): number {
    return this.tags[0];
  }

  push(time: number, tag: number): void {
    if (this.size === this.times.length) this.grow();
    const times = this.times;
    const tags = this.tags;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p] <= time) break;
      times[i] = times[p];
      tags[i] = tags[p];
      i = p;
    }
    times[i] = time;
    tags[i] = tag;
  }

  /** Removes the earliest event; read it first with peekTime and peekTag. */
  pop(): void {
    const n = --this.size;
    if (n <= 0) return;
    const times = this.times;
    const tags = this.tags;
    const t = times[n];
    const g = tags[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && times[c + 1] < times[c]) c++;
      if (times[c] >= t) break;
      times[i] = times[c];
      tags[i] = tags[c];
      i = c;
    }
    times[i] = t;
    tags[i] = g;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const tags = new Int32Array(this.tags.length * 2);
    times.set(this.times);
    tags.set(this.tags);
    this.times = times;
    this.tags = tags;
  }
}
