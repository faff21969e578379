/**
 * Reads a calibration profile from untrusted JSON (a file the user may have edited, truncated or
 * copied from another version) and checks every field's type and every array's length against the
 * step count and latent shape, so the policies can index it without further checks.
 * @throws CacheProfileError with the path of the first bad field, e.g.
 *   'cache profile: stats.cond.prompts[2].residualDist has 10 values, expected 45'.
 */
import { CacheProfileError } from '../cache-errors';
import { BRANCHES, type Branch } from '../types';
import { diagonalPairCount, strictPairCount } from './pair-index';
import { type BranchProfile, CACHE_PROFILE_VERSION, type CacheProfile, type CacheProfileKey, type PooledChannelSums, type PromptTrajectoryStats, branchesForCfg } from './profile-types';

type Obj = Readonly<Record<string, unknown>>;

/** Parses a JSON string or an already-parsed value. */
export function parseCacheProfile(json: unknown): CacheProfile {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new CacheProfileError(`cache profile is not valid JSON: ${(err as Error).message}`);
    }
  }
  const root = obj(value, 'cache profile');
  if (root['version'] !== CACHE_PROFILE_VERSION) throw bad(`version is ${JSON.stringify(root['version'])}, this build reads version ${CACHE_PROFILE_VERSION}; recalibrate`);
  const key = readKey(obj(root['key'], 'key'));
  const shape = numbers(root['latentShape'], 'latentShape', 3);
  if (!shape.every((v) => Number.isInteger(v) && v > 0)) throw bad('latentShape must be 3 positive integers');
  const latentShape: [number, number, number] = [shape[0] as number, shape[1] as number, shape[2] as number];
  const T = key.steps;
  const branches = branchesForCfg(key.cfg);
  const listed = root['branches'];
  if (!Array.isArray(listed) || listed.length !== branches.length || !branches.every((b, i) => listed[i] === b)) {
    throw bad(`branches must be ${JSON.stringify(branches)} for CFG scale ${key.cfg}, got ${JSON.stringify(listed)}`);
  }
  const timesteps = numbers(root['timesteps'], 'timesteps', T);
  const sigmas = root['sigmas'] === null ? null : numbers(root['sigmas'], 'sigmas', T + 1);
  const probeSource = root['probeSource'];
  if (probeSource !== 'input' && probeSource !== 'probe') throw bad(`probeSource must be "input" or "probe", got ${JSON.stringify(probeSource)}`);
  const statsObj = obj(root['stats'], 'stats');
  const stats: Partial<Record<Branch, BranchProfile>> = {};
  for (const b of BRANCHES) {
    if (branches.includes(b)) stats[b] = readBranch(obj(statsObj[b], `stats.${b}`), `stats.${b}`, T, latentShape[0]);
    else if (statsObj[b] !== undefined) throw bad(`stats.${b} is present but CFG scale ${key.cfg} has no ${b} branch`);
  }
  const guidedValue = root['guided'];
  if (guidedValue != null && branches.length === 1) throw bad(`guided is present but CFG scale ${key.cfg} has no guidance`);
  const guided = guidedValue == null ? null : readBranch(obj(guidedValue, 'guided'), 'guided', T, latentShape[0]);
  return { version: CACHE_PROFILE_VERSION, key, latentShape, branches, timesteps, sigmas, probeSource, stats, guided };
}

function readKey(k: Obj): CacheProfileKey {
  const str = (f: string) => {
    const v = k[f];
    if (typeof v !== 'string' || v.length === 0) throw bad(`key.${f} must be a non-empty string`);
    return v;
  };
  const int = (f: string, min: number) => {
    const v = k[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`key.${f} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const pos = (f: string) => {
    const v = k[f];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(`key.${f} must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  };
  const cfg = k['cfg'];
  if (typeof cfg !== 'number' || !Number.isFinite(cfg) || cfg < 0) throw bad(`key.cfg must be a number ≥ 0, got ${JSON.stringify(cfg)}`);
  return { modelHash: str('modelHash'), scheduler: str('scheduler'), steps: int('steps', 2), shift: pos('shift'), cfg, width: int('width', 1), height: int('height', 1) };
}

function readBranch(b: Obj, path: string, T: number, channels: number): BranchProfile {
  const prompts = b['prompts'];
  if (!Array.isArray(prompts) || prompts.length === 0) throw bad(`${path}.prompts must be a non-empty array`);
  return {
    prompts: prompts.map((p, i) => readPrompt(obj(p, `${path}.prompts[${i}]`), `${path}.prompts[${i}]`, T)),
    pooled: readPooled(obj(b['pooled'], `${path}.pooled`), `${path}.pooled`, T, channels),
  };
}

function readPrompt(p: Obj, path: string, T: number): PromptTrajectoryStats {
  const perStep = (f: string) => numbers(p[f], `${path}.${f}`, T);
  const pairs = (f: string) => numbers(p[f], `${path}.${f}`, strictPairCount(T));
  return {
    inputL1: perStep('inputL1'), outputL1: perStep('outputL1'), residualL1: perStep('residualL1'),
    probeRelL1: perStep('probeRelL1'), magnitudeRatio: perStep('magnitudeRatio'),
    inputDist: pairs('inputDist'), outputDist: pairs('outputDist'), residualDist: pairs('residualDist'),
  };
}

function readPooled(p: Obj, path: string, T: number, channels: number): PooledChannelSums {
  const count = p['count'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw bad(`${path}.count must be a positive integer`);
  const grid = (f: string, n: number) => {
    const rows = p[f];
    if (!Array.isArray(rows) || rows.length !== channels) throw bad(`${path}.${f} must have one row per latent channel (${channels})`);
    return rows.map((row, c) => numbers(row, `${path}.${f}[${c}]`, n));
  };
  return { count, x: grid('x', T), xx: grid('xx', T), r: grid('r', T), rr: grid('rr', T), xr: grid('xr', diagonalPairCount(T)), rr2: grid('rr2', strictPairCount(T)) };
}

function numbers(v: unknown, path: string, length: number): number[] {
  if (!Array.isArray(v)) throw bad(`${path} must be an array of numbers`);
  if (v.length !== length) throw bad(`${path} has ${v.length} values, expected ${length}`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(`${path}[${i}] is ${JSON.stringify(x)}, not a finite number`);
  }
  return v as number[];
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${path} must be an object`);
  return v as Obj;
}

function bad(message: string): CacheProfileError {
  return new CacheProfileError(message.startsWith('cache profile') ? message : `cache profile: ${message}`);
}
