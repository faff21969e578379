/** The form offers only the scheduler overrides that can run the chosen model. */
import { describe, expect, it } from 'vitest';
import { schedulerChoices } from '../../../renderer/src/lib/scheduler-choices';

describe('schedulerChoices', () => {
  it('offers the DDPM-family samplers for a DDIM model and only flow Euler for a flow model', () => {
    expect(schedulerChoices('DDIMScheduler')).toEqual(['default', 'ddim', 'euler', 'dpmpp-2m']);
    expect(schedulerChoices('FlowMatchEulerDiscreteScheduler')).toEqual(['default', 'flow-euler']);
  });
  it("offers only the model's own for an unknown or missing class", () => {
    expect(schedulerChoices('MysteryScheduler')).toEqual(['default']);
    expect(schedulerChoices(undefined)).toEqual(['default']);
  });
});
