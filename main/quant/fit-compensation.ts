/**
 * Fits the PTQD and TCEC tables (core/quant/compensation-tables.ts) from fp32 and quantized runs
 * on the calibration prompts, all prompts in lockstep, one step at a time:
 *
 *   per prompt, two trajectories from the same noise:
 *     x_i   fp32 model, no correction                       (the reference)
 *     x̂_i   quantized model, corrected with the TCEC rows fitted so far
 *   at step i, per prompt:
 *     ĝ  = guided quantized output at x̂_i
 *     g̃  = guided fp32 output at x̂_i        (same input: the per-step error Δ = ĝ − g̃)
 *     g  = guided fp32 output at x_i         (advances the reference)
 *     δ_i = x̂_i − x_i                        (state error carried into step i)
 *   fit step i:
 *     TCEC  Δ ≈ K_i⊙ĝ + μ_i                  per channel
 *           δ_i ≈ G_i⊙(b_{i−1}·ĝ_{i−1}) + β_i  per channel (window m = 1)
 *     PTQD  Δ ≈ k_i·g̃ + μ_i                  one k, per-channel μ
 *   then advance both trajectories, x̂ with step i's fitted TCEC correction at strength 1, so
 *   the state error step i+1 sees is the one left after compensation (tcec.md §3).
 *
 * Three model calls per step and prompt (each a batch of 2 under guidance).
 */
import { ChannelLine, SharedSlope } from '../../core/quant/regression';
import type { PtqdTable, TcecTable } from '../../core/quant/compensation-tables';
import { carriedStateError, guidedOutput, tcecTerm } from '../../core/quant/correction';
import { gaussianNoise } from '../../core/noise/gaussian-noise';
import type { Scheduler } from '../../core/sampler/types';
import { schedulerFor, throwIfCancelled } from '../pipeline/txt2img';
import type { PromptContext } from '../pipeline/runner-denoise-model';
import type { Denoiser } from '../runtime/denoiser';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import type { CalibrationRun } from './activation-calibration';
import { latentDimsOf, promptContext } from './quant-session';

interface Track {
  ctx: PromptContext;
  seed: number;
  ref: Scheduler;
  quant: Scheduler;
  x: Float32Array;
  xq: Float32Array;
  prevGuided?: Float32Array;
}

/** The fitted tables, and each prompt's fp32 final latent (the reference chooseStrengths measures against). */
export async function fitCompensation(pipeline: LoadedPipeline, fp32: Denoiser, quant: Denoiser, run: CalibrationRun): Promise<{ ptqd: PtqdTable; tcec: TcecTable; channels: number; references: Float32Array[] }> {
  const dims = latentDimsOf(pipeline);
  const C = dims[0] as number;
  const size = dims.reduce((a, b) => a * b, 1);
  const tracks: Track[] = [];
  for (const [p, prompt] of run.prompts.entries()) {
    const ref = schedulerFor(pipeline, run.steps, run.scheduler);
    const noise = gaussianNoise(run.seed + p, size);
    const x = Float32Array.from(noise, (v) => v * ref.initNoiseSigma);
    tracks.push({ ctx: await promptContext(pipeline, prompt, run.cfg), seed: run.seed + p, ref, quant: schedulerFor(pipeline, run.steps, run.scheduler), x, xq: Float32Array.from(x) });
  }
  const guided = async (d: Denoiser, x: Float32Array, t: number, ctx: PromptContext): Promise<Float32Array> => {
    const both = run.cfg > 1;
    const batch = both ? new Float32Array(2 * size) : x;
    if (both) {
      batch.set(x, 0);
      batch.set(x, size);
    }
    const out = await d.predict(batch, dims, t, ctx.data, ctx.dims, run.signal);
    return guidedOutput(both ? out.subarray(size) : out, both ? out.subarray(0, size) : undefined, run.cfg);
  };
  const ptqd: PtqdTable = { k: [], mu: [], residualVar: [] };
  const tcec: TcecTable = { K: [], mu: [], G: [], beta: [] };
  const zeros = () => new Array<number>(C).fill(0);
  for (let i = 0; i < run.steps; i++) {
    throwIfCancelled(run.signal);
    const errLine = new ChannelLine(C);
    const stateLine = new ChannelLine(C);
    const ptqdLine = new SharedSlope(C);
    const stepData: { qIn: Float32Array; g: Float32Array; gq: Float32Array }[] = [];
    for (const tr of tracks) {
      const t = tr.ref.timesteps[i] as number;
      const refIn = tr.ref.scaleModelInput(tr.x, i);
      const qIn = tr.quant.scaleModelInput(tr.xq, i);
      const gq = await guided(quant, qIn, t, tr.ctx);
      const gTeacher = await guided(fp32, qIn, t, tr.ctx);
      const g = await guided(fp32, refIn, t, tr.ctx);
      const delta = Float32Array.from(gq, (v, j) => v - (gTeacher[j] as number));
      errLine.add(gq, delta);
      ptqdLine.add(gTeacher, delta);
      if (i > 0 && tr.prevGuided !== undefined) {
        const b = tr.quant.stepCoefficients(i - 1).b;
        stateLine.add(Float32Array.from(tr.prevGuided, (v) => b * v), Float32Array.from(tr.xq, (v, j) => v - (tr.x[j] as number)));
      }
      stepData.push({ qIn, g, gq });
      run.onStep?.();
    }
    const e = errLine.fit();
    const s = i > 0 ? stateLine.fit() : { slope: zeros(), intercept: zeros() };
    const pq = ptqdLine.fit();
    tcec.K.push(e.slope);
    tcec.mu.push(e.intercept);
    tcec.G.push(s.slope);
    tcec.beta.push(s.intercept);
    ptqd.k.push(pq.slope);
    ptqd.mu.push(pq.intercept);
    ptqd.residualVar?.push(pq.residualVariance);
    for (const [n, tr] of tracks.entries()) {
      const { g, gq } = stepData[n] as { g: Float32Array; gq: Float32Array };
      const noise = (s: Scheduler) => (s.needsNoise(i) ? gaussianNoise(tr.seed, size, i + 1) : undefined);
      const carried = carriedStateError(tcec, i, tr.prevGuided, i > 0 ? tr.quant.stepCoefficients(i - 1) : undefined);
      const d = tcecTerm(tcec, i, gq, carried, tr.quant.stepCoefficients(i));
      tr.x = tr.ref.step(g, i, tr.x, noise(tr.ref));
      tr.xq = tr.quant.step(Float32Array.from(gq, (v, j) => v - (d[j] as number)), i, tr.xq, noise(tr.quant));
      tr.prevGuided = gq;
    }
  }
  return { ptqd, tcec, channels: C, references: tracks.map((t) => t.x) };
}
