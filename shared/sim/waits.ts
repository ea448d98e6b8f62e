/**
 * Waiting times of served requests, streamed into a log-bucketed histogram (1% wide buckets from 1 µs to
 * 28 hours), so a run of millions of requests keeps a few kilobytes and percentiles stay within 1%.
 * The mean, the maximum and the share that waited at all are exact.
 */
const MIN_S = 1e-6;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(1e5 / MIN_S) / LOG_GROWTH) + 1;

export interface WaitSummary {
  count: number;
  meanS: number;
  /** Share of served requests that waited at all (Erlang C's waiting probability in an M/M/c queue). */
  probWait: number;
  p50S: number;
  p90S: number;
  p95S: number;
  p99S: number;
  maxS: number;
}

export class WaitStats {
  private readonly hist = new Float64Array(BUCKETS);
  private zero = 0;
  private count = 0;
  private sum = 0;
  private max = 0;

  get n(): number {
    return this.count;
  }

  add(w: number): void {
    this.count++;
    if (w <= 0) {
      this.zero++;
      return;
    }
    this.sum += w;
    if (w > this.max) this.max = w;
    let b = w < MIN_S ? 0 : Math.floor(Math.log(w / MIN_S) / LOG_GROWTH) + 1;
    if (b >= BUCKETS) b = BUCKETS - 1;
    this.hist[b]++;
  }

  /** The q-quantile (0..1); a bucket's value is its geometric midpoint. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = q * this.count;
    if (rank <= this.zero) return 0;
    let seen = this.zero;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.hist[b];
      if (seen >= rank) {
        if (b === 0) return MIN_S;
        return Math.min(this.max, MIN_S * Math.pow(GROWTH, b - 0.5));
      }
    }
    return this.max;
  }

  summary(): WaitSummary {
    return {
      count: this.count,
      meanS: this.count ? this.sum / this.count : NaN,
      probWait: this.count ? (this.count - this.zero) / this.count : NaN,
      p50S: this.quantile(0.5),
      p90S: this.quantile(0.9),
      p95S: this.quantile(0.95),
      p99S: this.quantile(0.99),
      maxS: this.max,
    };
  }
}
