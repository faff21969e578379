import { describe, expect, it } from 'vitest';
import { SCHEDULER_NAMES } from '../../../contract/api';
import { SchedulerConfigError, createScheduler } from '../../../core/sampler/create-scheduler';
import { SD15_CONFIG } from './reference-formulas';

const FLOW_CONFIG = { _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 3.0 };

describe('createScheduler: which class runs', () => {
  it('maps SD 1.5 PNDMScheduler to DDIM with the same betas and spacing, and records both names', () => {
    const s = createScheduler(SD15_CONFIG, 50);
    expect(s.className).toBe('DDIMScheduler');
    expect(s.config['_class_name']).toBe('DDIMScheduler');
    expect(s.config['_source_class_name']).toBe('PNDMScheduler');
    expect(s.config).toMatchObject({ beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, steps_offset: 1, timestep_spacing: 'leading', set_alpha_to_one: false, clip_sample: false });
    expect(s.predictionType).toBe('epsilon');
  });

  it.each([
    ['LMSDiscreteScheduler', 'EulerDiscreteScheduler'],
    ['EulerAncestralDiscreteScheduler', 'EulerDiscreteScheduler'],
    ['UniPCMultistepScheduler', 'DPMSolverMultistepScheduler'],
    ['DDPMScheduler', 'DDIMScheduler'],
    ['FlowMatchHeunDiscreteScheduler', 'FlowMatchEulerDiscreteScheduler'],
  ])('maps %s to %s', (source, target) => {
    const config = source.startsWith('Flow') ? { ...FLOW_CONFIG, _class_name: source } : { ...SD15_CONFIG, _class_name: source };
    const s = createScheduler(config, 20);
    expect(s.className).toBe(target);
    expect(s.config['_source_class_name']).toBe(source);
  });

  it('defaults clip_sample to false for classes that never clip, true for DDIM/DDPM configs', () => {
    const { clip_sample: _omitted, ...withoutClip } = SD15_CONFIG;
    expect(createScheduler(withoutClip, 20).config['clip_sample']).toBe(false);
    expect(createScheduler({ ...withoutClip, _class_name: 'EulerDiscreteScheduler' }, 20, 'ddim').config['clip_sample']).toBe(false);
    expect(createScheduler({ ...withoutClip, _class_name: 'DDIMScheduler' }, 20).config['clip_sample']).toBe(true);
    expect(createScheduler({ ...withoutClip, _class_name: 'DDPMScheduler' }, 20).config['clip_sample']).toBe(true);
  });

  it('runs a native class without _source_class_name', () => {
    const s = createScheduler({ ...SD15_CONFIG, _class_name: 'DDIMScheduler' }, 20);
    expect(s.config['_source_class_name']).toBeUndefined();
  });

  it.each([
    ['ddim', 'DDIMScheduler'],
    ['euler', 'EulerDiscreteScheduler'],
    ['dpmpp-2m', 'DPMSolverMultistepScheduler'],
  ] as const)('override %s forces %s with the same betas', (override, className) => {
    const s = createScheduler(SD15_CONFIG, 20, override);
    expect(s.className).toBe(className);
    expect(s.config['beta_schedule']).toBe('scaled_linear');
  });

  it('override dpmpp-2m records solver_order 2 / dpmsolver++ even if the config asked otherwise', () => {
    const s = createScheduler({ ...SD15_CONFIG, _class_name: 'DPMSolverMultistepScheduler', solver_order: 3, solver_type: 'bh2' }, 20);
    expect(s.config).toMatchObject({ solver_order: 2, algorithm_type: 'dpmsolver++', solver_type: 'midpoint' });
  });

  it('refuses incompatible overrides', () => {
    expect(() => createScheduler(SD15_CONFIG, 20, 'flow-euler')).toThrow(SchedulerConfigError);
    for (const name of ['ddim', 'euler', 'dpmpp-2m'] as const) {
      expect(() => createScheduler(FLOW_CONFIG, 20, name)).toThrow(/cannot run a flow-matching model/);
    }
  });

  it('accepts every SchedulerName of the contract on a compatible config', () => {
    for (const name of SCHEDULER_NAMES) {
      const config = name === 'flow-euler' ? FLOW_CONFIG : SD15_CONFIG;
      expect(createScheduler(config, 10, name).numSteps).toBe(10);
    }
  });
});

describe('createScheduler: effective config', () => {
  it.each(['default', 'euler', 'dpmpp-2m'] as const)('is JSON-serializable and rebuilds the same schedule (%s)', (override) => {
    const s = createScheduler(SD15_CONFIG, 30, override);
    const again = createScheduler(JSON.parse(JSON.stringify(s.config)), 30);
    expect(again.className).toBe(s.className);
    expect(Array.from(again.timesteps)).toEqual(Array.from(s.timesteps));
    expect(again.initNoiseSigma).toBe(s.initNoiseSigma);
  });

  it('round-trips a flow config', () => {
    const s = createScheduler({ ...FLOW_CONFIG, base_shift: 0.5, max_shift: 1.15 }, 12);
    const again = createScheduler(JSON.parse(JSON.stringify(s.config)), 12);
    expect(Array.from(again.timesteps)).toEqual(Array.from(s.timesteps));
  });
});

describe('createScheduler: validation', () => {
  it.each([
    [{ ...SD15_CONFIG, beta_start: 'abc' }, /"beta_start" must be a finite number/],
    [{ ...SD15_CONFIG, beta_schedule: 'cubic' }, /"beta_schedule" must be one of/],
    [{ ...SD15_CONFIG, steps_offset: 1.5 }, /"steps_offset" must be an integer/],
    [{ ...SD15_CONFIG, num_train_timesteps: '1000' }, /"num_train_timesteps"/],
    [{ ...SD15_CONFIG, prediction_type: 'flow_prediction' }, /"prediction_type"/],
    [{ ...SD15_CONFIG, timestep_spacing: 'random' }, /"timestep_spacing"/],
    [{ ...SD15_CONFIG, clip_sample: 'no' }, /"clip_sample" must be true or false/],
    [{ ...SD15_CONFIG, trained_betas: [0.1, 0.2] }, /"trained_betas"/],
    [{ ...SD15_CONFIG, thresholding: true }, /"thresholding" = true is not supported/],
    [{ ...SD15_CONFIG, _class_name: 'EulerDiscreteScheduler', use_karras_sigmas: true }, /"use_karras_sigmas" = true is not supported/],
    [{ ...SD15_CONFIG, _class_name: 'LCMScheduler' }, /"_class_name" = "LCMScheduler" is not a supported scheduler/],
    [{ beta_start: 0.1 }, /"_class_name" is missing/],
    [{ ...FLOW_CONFIG, shift: -1 }, /"shift" must be a number > 0/],
    [{ ...FLOW_CONFIG, use_dynamic_shifting: true }, /"use_dynamic_shifting"/],
    [[1, 2], /must be a JSON object/],
    [null, /must be a JSON object/],
  ])('rejects %j', (config, message) => {
    expect(() => createScheduler(config, 20)).toThrow(SchedulerConfigError);
    expect(() => createScheduler(config, 20)).toThrow(message);
  });

  it('ignores unknown harmless keys', () => {
    expect(() => createScheduler({ ...SD15_CONFIG, some_future_option: { nested: true }, skip_prk_steps: true }, 20)).not.toThrow();
  });

  it('rejects steps outside 1..num_train_timesteps or that overflow the table', () => {
    for (const steps of [0, -1, 2.5, 1001, Number.NaN]) expect(() => createScheduler(SD15_CONFIG, steps)).toThrow(/steps must be an integer/);
    // Leading spacing with steps_offset 1 and 1000 steps would index timestep 1000.
    expect(() => createScheduler(SD15_CONFIG, 1000)).toThrow(/timestep 1000/);
    // DPM-Solver's linspace over 1001 points repeats timesteps.
    expect(() => createScheduler(SD15_CONFIG, 1000, 'dpmpp-2m')).toThrow(/repeats timestep/);
    expect(createScheduler(SD15_CONFIG, 1).numSteps).toBe(1);
  });
});
