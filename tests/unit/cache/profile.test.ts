import { describe, expect, it } from 'vitest';
import { CacheProfileError } from '../../../core/cache/cache-errors';
import { strictPairIndex } from '../../../core/cache/profile/pair-index';
import { parseCacheProfile } from '../../../core/cache/profile/parse-profile';
import { profileKeyFor } from '../../../core/cache/profile/profile-key';
import { profileMatches } from '../../../core/cache/profile/profile-match';
import { ProfileRecorder } from '../../../core/cache/profile/profile-recorder';
import { branchProfile } from '../../../core/cache/profile/profile-types';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { stepContext } from './policy-driver';
import { diff, keyFor, l1, randomRuns, recordRuns, residual } from './synthetic-trajectories';

const SHAPE: [number, number, number] = [2, 2, 3];
const SIZE = 12;

describe('ProfileRecorder', () => {
  const runs = randomRuns(3, 5, SIZE);
  const profile = recordRuns(runs, 2, SHAPE);

  it('summarises each prompt and branch with the L1 norms and pair distances', () => {
    expect(profile.branches).toEqual(['uncond', 'cond']);
    for (const branch of ['uncond', 'cond'] as const) {
      const prompts = branchProfile(profile, branch).prompts;
      expect(prompts).toHaveLength(3);
      runs.forEach((run, p) => {
        const s = prompts[p];
        for (let k = 0; k < 5; k++) {
          const step = run[k];
          if (s === undefined || step === undefined) throw new Error('missing');
          expect(s.outputL1[k]).toBeCloseTo(l1(step.outputs[branch]), 9);
          expect(s.residualL1[k]).toBeCloseTo(l1(residual(step, branch)), 9);
          for (let j = 0; j < k; j++) {
            const earlier = run[j];
            if (earlier === undefined) throw new Error('missing');
            expect(s.residualDist[strictPairIndex(j, k)]).toBeCloseTo(l1(diff(residual(earlier, branch), residual(step, branch))), 9);
            expect(s.inputDist[strictPairIndex(j, k)]).toBeCloseTo(l1(diff(earlier.input, step.input)), 9);
          }
        }
        for (let k = 1; k < 5; k++) {
          const [before, step] = [run[k - 1], run[k]];
          if (s === undefined || before === undefined || step === undefined) throw new Error('missing');
          expect(s.probeRelL1[k]).toBeCloseTo(l1(diff(step.input, before.input)) / l1(before.input), 12);
        }
      });
    }
  });

  it('pools per-channel sums over prompts and positions', () => {
    const pooled = branchProfile(profile, 'cond').pooled;
    expect(pooled.count).toBe(3 * 6);
    let direct = 0;
    for (const run of runs) {
      const x = (run[3] as (typeof run)[0]).input;
      const r = residual(run[1] as (typeof run)[0], 'cond');
      for (let i = 6; i < 12; i++) direct += (x[i] as number) * (r[i] as number);
    }
    // Σ x_3·r_1 over channel 1, at k(k+1)/2 + j = 6 + 1.
    expect(pooled.xr[1]?.[7]).toBeCloseTo(direct, 9);
  });

  it('records the guided output u + s·(c − u) as one more series, only with CFG', () => {
    const guided = profile.guided;
    if (guided === null) throw new Error('no guided series');
    runs.forEach((run, p) => {
      const s = guided.prompts[p];
      for (let k = 0; k < 5; k++) {
        const step = run[k];
        if (s === undefined || step === undefined) throw new Error('missing');
        const g = step.outputs.uncond.map((u, i) => u + 2 * ((step.outputs.cond[i] as number) - u));
        expect(s.outputL1[k]).toBeCloseTo(l1(g), 5);
        expect(s.residualL1[k]).toBeCloseTo(l1(diff(g, step.input)), 5);
      }
    });
    expect(guided.pooled.count).toBe(3 * 6);
    expect(recordRuns(randomRuns(1, 3, SIZE), 1, SHAPE).guided).toBeNull();
  });

  it('drops an unfinished prompt and refuses out-of-order steps', () => {
    const rec = new ProfileRecorder({ key: keyFor(3, 1), latentShape: SHAPE, timesteps: [3, 2, 1] });
    const run = randomRuns(2, 3, SIZE);
    const feed = (p: number, k: number) => {
      const s = run[p]?.[k];
      if (s === undefined) throw new Error('missing');
      rec.record(stepContext(k, 3, { input: s.input, output: s.outputs.cond }, ['cond']), new Map([['cond', s.outputs.cond]]));
    };
    feed(0, 0);
    feed(0, 1);
    feed(1, 0); // index 0 starts prompt 1, dropping prompt 0's partial run
    expect(() => feed(0, 2)).toThrow(/expected 1/);
    feed(1, 1);
    feed(1, 2);
    expect(rec.promptCount).toBe(1);
    expect(() => new ProfileRecorder({ key: keyFor(3, 1), latentShape: SHAPE, timesteps: [1] })).toThrow(/timesteps/);
    expect(() => new ProfileRecorder({ key: keyFor(3, 1), latentShape: SHAPE, timesteps: [3, 2, 1] }).finish()).toThrow(/no complete/);
  });
});

describe('profile JSON', () => {
  const profile = recordRuns(randomRuns(2, 4, SIZE), 2, SHAPE, [1, 0.7, 0.4, 0.1, 0]);

  it('round-trips through JSON unchanged', () => {
    expect(parseCacheProfile(JSON.stringify(profile))).toEqual(profile);
    expect(parseCacheProfile(JSON.parse(JSON.stringify(profile)))).toEqual(profile);
  });

  it('reports corrupt JSON and bad fields with their path', () => {
    const json = JSON.stringify(profile);
    expect(() => parseCacheProfile(json.slice(0, json.length - 10))).toThrow(/not valid JSON/);
    expect(() => parseCacheProfile('[1,2]')).toThrow(CacheProfileError);
    const edited = (edit: (p: Record<string, any>) => void) => {
      const p = JSON.parse(json);
      edit(p);
      return () => parseCacheProfile(p);
    };
    expect(edited((p) => { p.version = 99; })).toThrow(/version is 99/);
    expect(edited((p) => { p.key.steps = 5; })).toThrow(/timesteps has 4 values, expected 5/);
    expect(edited((p) => { p.stats.cond.prompts[1].residualDist.pop(); })).toThrow('cache profile: stats.cond.prompts[1].residualDist has 5 values, expected 6');
    expect(edited((p) => { p.stats.uncond.prompts[0].outputL1[2] = null; })).toThrow(/outputL1\[2\] is null, not a finite number/);
    expect(edited((p) => { p.stats.cond.pooled.xr = [[1]]; })).toThrow(/one row per latent channel/);
    expect(edited((p) => { p.branches = ['cond']; })).toThrow(/branches must be/);
    expect(edited((p) => { delete p.stats.uncond; })).toThrow(/stats.uncond must be an object/);
    expect(edited((p) => { p.key.modelHash = ''; })).toThrow(/key.modelHash/);
    expect(edited((p) => { p.guided.prompts[0].outputL1.pop(); })).toThrow('cache profile: guided.prompts[0].outputL1 has 3 values, expected 4');
    // Profiles recorded before the guided series existed still load (ERTACache's 'branches' signal uses them).
    const old = JSON.parse(json);
    delete old.guided;
    expect(parseCacheProfile(old).guided).toBeNull();
  });
});

describe('profileMatches', () => {
  const profile = recordRuns(randomRuns(1, 4, SIZE), 2, SHAPE);
  const key = keyFor(4, 2);

  it('accepts its own key and gives a reason for each mismatch', () => {
    expect(profileMatches(profile, key)).toEqual({ ok: true });
    expect(profileMatches(profile, { ...key, steps: 50 })).toEqual({ ok: false, reason: 'profile was made for 4 steps, this run uses 50' });
    expect(profileMatches(profile, { ...key, cfg: 7.5 })).toEqual({ ok: false, reason: 'profile was made for CFG scale 2, this run uses 7.5' });
    expect(profileMatches(profile, { ...key, width: 64 })).toEqual({ ok: false, reason: 'profile was made for 32×32, this run is 64×32' });
    expect(profileMatches(profile, { ...key, shift: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('shift 3') });
    expect(profileMatches(profile, { ...key, scheduler: 'EulerDiscreteScheduler' })).toMatchObject({ ok: false, reason: expect.stringContaining('scheduler') });
    expect(profileMatches(profile, { ...key, modelHash: 'other' })).toMatchObject({ ok: false, reason: expect.stringContaining('model abc123') });
  });
});

describe('profileKeyFor', () => {
  it('reads the class name, steps and shift from the scheduler (shift 1 when it has none)', () => {
    const run = { modelHash: 'h', cfg: 4, width: 512, height: 256 };
    const flow = createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', shift: 3 }, 28);
    expect(profileKeyFor(flow, run)).toEqual({ modelHash: 'h', scheduler: 'FlowMatchEulerDiscreteScheduler', steps: 28, shift: 3, cfg: 4, width: 512, height: 256 });
    const ddim = createScheduler({ _class_name: 'DDIMScheduler' }, 10);
    expect(profileKeyFor(ddim, run)).toMatchObject({ scheduler: 'DDIMScheduler', steps: 10, shift: 1 });
  });
});
