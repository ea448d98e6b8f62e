// The parts of jstat (no bundled types) isolab uses: the Student t quantile (replication intervals, the density
// slope's interval) and the binomial CDF (the order-statistic interval of a median).
declare module 'jstat' {
  const jStat: {
    studentt: { inv(p: number, dof: number): number };
    binomial: { cdf(k: number, n: number, p: number): number };
  };
  export default jStat;
}
