/**
 * The per-branch residual every policy reuses: r = output − input at the branch's last computed
 * step, and on a reused step output ≈ input + r. Float32, like the model's own tensors.
 * Memory: one latent-sized array per branch.
 */
import type { Branch } from './types';

export class ResidualStore {
  private readonly residuals = new Map<Branch, Float32Array>();
  /** Step index the residuals were taken at, −1 when empty. */
  sourceStep = -1;

  clear(): void {
    this.residuals.clear();
    this.sourceStep = -1;
  }

  /** Stores output − input for every branch of `outputs`. */
  store(index: number, inputs: ReadonlyMap<Branch, Float32Array>, outputs: ReadonlyMap<Branch, Float32Array>): void {
    if (outputs.size === 0) throw new RangeError('cache: onComputed got no outputs');
    this.residuals.clear();
    for (const [branch, out] of outputs) {
      const input = requireBranch(inputs, branch, 'inputs');
      if (input.length !== out.length) throw new RangeError(`cache: ${branch} output has ${out.length} values, its input ${input.length}`);
      this.residuals.set(branch, residualOf(input, out));
    }
    this.sourceStep = index;
  }

  /** True when a residual is stored for every branch of `inputs`. */
  covers(inputs: ReadonlyMap<Branch, Float32Array>): boolean {
    if (inputs.size === 0) return false;
    for (const [branch, input] of inputs) if (this.residuals.get(branch)?.length !== input.length) return false;
    return true;
  }

  residual(branch: Branch): Float32Array {
    const r = this.residuals.get(branch);
    if (r === undefined) throw new RangeError(`cache: nothing cached for the ${branch} branch; the first step must be computed`);
    return r;
  }

  /** input + r per branch of `inputs` (new arrays). */
  rebuild(inputs: ReadonlyMap<Branch, Float32Array>): Map<Branch, Float32Array> {
    const out = new Map<Branch, Float32Array>();
    for (const [branch, input] of inputs) {
      const r = this.residual(branch);
      if (r.length !== input.length) throw new RangeError(`cache: ${branch} input has ${input.length} values, the cached residual ${r.length}`);
      out.set(branch, input.map((x, i) => x + (r[i] as number)));
    }
    return out;
  }
}

/** output − input, float32. */
export function residualOf(input: Float32Array, output: Float32Array): Float32Array {
  return output.map((v, i) => v - (input[i] as number));
}

export function requireBranch<T>(map: ReadonlyMap<Branch, T>, branch: Branch, what: string): T {
  const v = map.get(branch);
  if (v === undefined) throw new RangeError(`cache: ${what} has no ${branch} branch`);
  return v;
}
