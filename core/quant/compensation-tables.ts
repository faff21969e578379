/**
 * The fitted compensation tables of one quantized variant under one sampling setting, as stored
 * in SQLite and exported as JSON. Per step i of `steps` (the scheduler's order, i = 0 first):
 *
 *   PTQD:  k[i] (scalar), mu[i][c]                 ε̃ = (ε̂ − μ)/(1 + k)
 *   TCEC:  K[i][c], mu[i][c], G[i][c], beta[i][c]  see tcec.md
 *
 * c runs over the latent channels. The key says which run the tables fit; compensation-key.ts
 * refuses a run whose key differs.
 */

export const COMPENSATION_METHODS = ['none', 'ptqd', 'tcec'] as const;
export type CompensationMethod = (typeof COMPENSATION_METHODS)[number];

export interface CompensationKey {
  /** Denoiser component hash (folder sha256). */
  componentHash: string;
  /** Variant name, e.g. 'int8-w8a8'. */
  variant: string;
  /** sha256 of the variant's model.onnx: a re-quantized variant invalidates the tables. */
  variantSha256: string;
  /** The scheduler name the request used (e.g. 'euler', 'default'). */
  scheduler: string;
  steps: number;
  cfg: number;
  width: number;
  height: number;
}

export interface PtqdTable {
  k: number[];
  mu: number[][];
  /**
   * Per step, the variance of the quantization error the line k·ε + μ leaves unexplained (on
   * the guided output). A stochastic sampler subtracts it, propagated into the latent, from the
   * noise it injects (PTQD's variance correction). Absent in tables fitted before it existed.
   */
  residualVar?: number[];
}

export interface TcecTable {
  K: number[][];
  mu: number[][];
  G: number[][];
  beta: number[][];
}

export interface CompensationTables {
  format: 'studio-quant-compensation';
  version: 1;
  key: CompensationKey;
  channels: number;
  /** How the tables were fitted (prompts count, seed), for the record. */
  fit: { prompts: number; seed: number };
  ptqd: PtqdTable;
  tcec: TcecTable;
  /**
   * The strength λ each method runs at when a request names none: the grid value with the
   * smallest final-latent error against fp32 on the calibration prompts (0 = the fit does not help).
   */
  strength: { ptqd: number; tcec: number };
}

/** Why `raw` is not a CompensationTables (throws), else the tables. @throws Error with the first problem found */
export function parseCompensationTables(raw: unknown): CompensationTables {
  const fail = (what: string): never => {
    throw new Error(`not a compensation table: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('expected a JSON object');
  const t = raw as Record<string, unknown>;
  if (t.format !== 'studio-quant-compensation') fail('"format" must be "studio-quant-compensation"');
  if (t.version !== 1) fail(`unsupported version ${String(t.version)}`);
  const key = t.key as Record<string, unknown> | undefined;
  if (typeof key !== 'object' || key === null) fail('"key" is missing');
  const k = key as Record<string, unknown>;
  for (const f of ['componentHash', 'variant', 'variantSha256', 'scheduler'] as const) if (typeof k[f] !== 'string' || k[f] === '') fail(`key.${f} must be a non-empty string`);
  for (const f of ['steps', 'width', 'height'] as const) if (!Number.isInteger(k[f]) || (k[f] as number) < 1) fail(`key.${f} must be a positive integer`);
  if (typeof k.cfg !== 'number' || !Number.isFinite(k.cfg)) fail('key.cfg must be a number');
  const channels = t.channels;
  if (!Number.isInteger(channels) || (channels as number) < 1) fail('"channels" must be a positive integer');
  const steps = k.steps as number;
  const C = channels as number;
  const vec = (v: unknown, n: number, what: string): number[] => {
    if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(`${what} must be ${n} finite numbers`);
    return v as number[];
  };
  const grid = (v: unknown, what: string): number[][] => {
    if (!Array.isArray(v) || v.length !== steps) fail(`${what} must have one row per step (${steps})`);
    return (v as unknown[]).map((row, i) => vec(row, C, `${what}[${i}]`));
  };
  const ptqd = t.ptqd as Record<string, unknown> | undefined;
  const tcec = t.tcec as Record<string, unknown> | undefined;
  if (typeof ptqd !== 'object' || ptqd === null) fail('"ptqd" is missing');
  if (typeof tcec !== 'object' || tcec === null) fail('"tcec" is missing');
  const p = ptqd as Record<string, unknown>;
  const q = tcec as Record<string, unknown>;
  const fit = t.fit as Record<string, unknown> | undefined;
  return {
    format: 'studio-quant-compensation',
    version: 1,
    key: { componentHash: k.componentHash as string, variant: k.variant as string, variantSha256: k.variantSha256 as string, scheduler: k.scheduler as string, steps, cfg: k.cfg as number, width: k.width as number, height: k.height as number },
    channels: C,
    fit: { prompts: Number(fit?.prompts ?? 0), seed: Number(fit?.seed ?? 0) },
    ptqd: { k: vec(p.k, steps, 'ptqd.k'), mu: grid(p.mu, 'ptqd.mu'), ...(p.residualVar === undefined ? {} : { residualVar: vec(p.residualVar, steps, 'ptqd.residualVar') }) },
    tcec: { K: grid(q.K, 'tcec.K'), mu: grid(q.mu, 'tcec.mu'), G: grid(q.G, 'tcec.G'), beta: grid(q.beta, 'tcec.beta') },
    strength: strengthOf(t.strength, fail),
  };
}

function strengthOf(raw: unknown, fail: (what: string) => never): { ptqd: number; tcec: number } {
  const s = raw as Record<string, unknown> | undefined;
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (typeof s !== 'object' || s === null || !ok(s.ptqd) || !ok(s.tcec)) fail('"strength" must hold numbers ≥ 0 for ptqd and tcec');
  return { ptqd: (s as Record<string, number>).ptqd as number, tcec: (s as Record<string, number>).tcec as number };
}

/** Fields of the key that differ between the tables and a run, as "field: table vs run". */
export function keyMismatches(table: CompensationKey, run: CompensationKey): string[] {
  const out: string[] = [];
  for (const f of Object.keys(run) as (keyof CompensationKey)[]) {
    if (table[f] !== run[f]) out.push(`${f}: calibrated ${String(table[f])}, this run ${String(run[f])}`);
  }
  return out;
}
