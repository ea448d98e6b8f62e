// The one part of jstat (no bundled types) the simulator uses: the Student t quantile for replication intervals.
declare module 'jstat' {
  const jStat: { studentt: { inv(p: number, dof: number): number } };
  export default jStat;
}
