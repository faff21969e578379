/**
 * TeaCache's rescaling polynomial: maps the relative L1 change of the cheap probe signal between
 * consecutive steps (x) to the relative L1 change of the model output (y), so the accumulated
 * Σ f(x) estimates how far the output has drifted since the last computed step.
 * The maintainer's recipe (TeaCache issue #2) is `np.polyfit(x, y, 4)` over every step of many
 * full runs; this is the same degree-4 least-squares fit. Coefficients are HIGHEST power first,
 * like np.polyfit/np.poly1d and the coefficient lists TeaCache publishes.
 */
import { solveLeastSquares } from './least-squares';
import { type CacheProfile, branchProfile } from './profile/profile-types';
import { strictPairIndex } from './profile/pair-index';
import { ratioOrInfinity } from '../metrics/rel-l1';

export const TEACACHE_DEGREE = 4;

/** One step of a full run: probe change in, output change out (both relative L1). */
export interface TeaCachePair {
  input: number;
  output: number;
}

/** f(x) for coefficients c₀..c₄ highest power first (Horner). */
export function evaluatePolynomial(coefficients: readonly number[], x: number): number {
  let y = 0;
  for (const c of coefficients) y = y * x + c;
  return y;
}

/**
 * Least-squares degree-4 fit y ≈ f(x). Inputs are centred and scaled inside the solve for
 * conditioning; the returned coefficients are for the raw x.
 * @throws RangeError with fewer than 5 distinct inputs or non-finite values.
 */
export function fitTeaCachePolynomial(pairs: readonly TeaCachePair[]): number[] {
  const usable = pairs.filter((p) => Number.isFinite(p.input) && Number.isFinite(p.output));
  if (usable.length !== pairs.length) throw new RangeError('TeaCache fit: every pair must be finite');
  const distinct = new Set(usable.map((p) => p.input)).size;
  if (distinct <= TEACACHE_DEGREE) throw new RangeError(`TeaCache fit: need at least ${TEACACHE_DEGREE + 1} distinct inputs, got ${distinct}`);
  const xs = usable.map((p) => p.input);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  // Fit in u = (x − mid)/half ∈ [−1, 1], then expand back to powers of x.
  const rows = xs.map((x) => powers((x - mid) / half));
  const u = solveLeastSquares(rows, usable.map((p) => p.output));
  return expandShifted(u, mid, half);
}

/**
 * The (input, output) pairs of a profile, every step k ≥ 1 of every prompt and branch:
 * input = probe change, output = ‖v_k − v_{k−1}‖₁ / ‖v_{k−1}‖₁.
 */
export function teaCachePairs(profile: CacheProfile): TeaCachePair[] {
  const pairs: TeaCachePair[] = [];
  for (const branch of profile.branches) {
    for (const p of branchProfile(profile, branch).prompts) {
      for (let k = 1; k < profile.key.steps; k++) {
        const output = ratioOrInfinity(p.outputDist[strictPairIndex(k - 1, k)] as number, p.outputL1[k - 1] as number);
        const input = p.probeRelL1[k] as number;
        if (Number.isFinite(output) && Number.isFinite(input)) pairs.push({ input, output });
      }
    }
  }
  return pairs;
}

/** [u⁴, u³, u², u, 1]. */
function powers(u: number): number[] {
  return [u ** 4, u ** 3, u * u, u, 1];
}

/** Coefficients (highest first) of g(x) = f((x − m)/h) given f's coefficients (highest first). */
function expandShifted(f: readonly number[], m: number, h: number): number[] {
  // Horner on polynomials in x: acc = acc·((x − m)/h) + c.
  let acc = [0];
  for (const c of f) {
    const next = new Array<number>(acc.length + 1).fill(0);
    acc.forEach((a, i) => {
      next[i] = (next[i] as number) + a / h;
      next[i + 1] = (next[i + 1] as number) - (a * m) / h;
    });
    next[next.length - 1] = (next[next.length - 1] as number) + c;
    acc = next;
  }
  // acc has degree+2 entries with a leading 0 from the initial [0].
  return acc.slice(acc.length - (TEACACHE_DEGREE + 1));
}
