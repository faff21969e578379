/** Small compensation tables for the unit tests (C channels, `steps` steps, every row filled by `row`). */
import type { CompensationTables } from '../../../core/quant/compensation-tables';

export function tables(steps: number, C: number, row: (name: string, i: number) => number[] = () => new Array<number>(C).fill(0), k: (i: number) => number = () => 0): CompensationTables {
  const grid = (name: string) => Array.from({ length: steps }, (_, i) => row(name, i));
  return {
    format: 'studio-quant-compensation',
    version: 1,
    key: { componentHash: 'c'.repeat(64), variant: 'int8-w8a8', variantSha256: 'v'.repeat(64), scheduler: 'default', steps, cfg: 4, width: 64, height: 64 },
    channels: C,
    fit: { prompts: 2, seed: 1 },
    ptqd: { k: Array.from({ length: steps }, (_, i) => k(i)), mu: grid('ptqd.mu') },
    tcec: { K: grid('K'), mu: grid('mu'), G: grid('G'), beta: grid('beta') },
    strength: { ptqd: 1, tcec: 0.5 },
  };
}
