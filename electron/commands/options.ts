import { InvalidArgumentError } from 'commander';

/** A whole-number option of at least `min`: "3x" or "1.5" is refused, with the flag's name. */
export const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
  return n;
};
