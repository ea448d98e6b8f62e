/**
 * Textbook steady-state results the simulator is checked against (Kleinrock, Queueing Systems vol. 1;
 * Gross and Harris, Fundamentals of Queueing Theory). Rates are per second; times in seconds.
 */

/** Erlang B: the blocking probability of c servers and no queue (M/M/c/c) at offered load a = lambda/mu. */
export function erlangB(c: number, a: number): number {
  // The stable recurrence B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: the probability an arrival waits in an M/M/c queue (requires a < c). */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** M/M/c mean wait in queue: Wq = C(c, a) / (c mu - lambda). */
export function mmcMeanWait(lambda: number, mu: number, c: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** M/M/c waiting-time quantile: P(W > t) = C e^{-(c mu - lambda) t}, so t_q = ln(C / (1 - q)) / (c mu - lambda). */
export function mmcWaitQuantile(lambda: number, mu: number, c: number, q: number): number {
  const C = erlangC(c, lambda / mu);
  if (1 - q >= C) return 0;
  return Math.log(C / (1 - q)) / (c * mu - lambda);
}

/** M/D/1 mean wait (Pollaczek-Khinchine with zero service variance): Wq = rho / (2 mu (1 - rho)). */
export function md1MeanWait(lambda: number, mu: number): number {
  const rho = lambda / mu;
  return rho / (2 * mu * (1 - rho));
}
