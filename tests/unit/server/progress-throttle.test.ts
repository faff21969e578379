/** The progress throttle on a clock the test moves by hand, so no timing can flake. */
import { describe, expect, it } from 'vitest';
import { ProgressThrottle } from '../../../main/jobs/progress-throttle';

describe('ProgressThrottle', () => {
  it('sends one update per interval, and every stage change and the last step', () => {
    let t = 0;
    const throttle = new ProgressThrottle(33, () => t);
    const sent: string[] = [];
    const offer = (stage: 'load' | 'denoise' | 'decode', step: number) => {
      if (throttle.admit({ stage, step, totalSteps: 10 })) sent.push(`${stage}:${step}@${t}`);
    };
    offer('load', 0);
    offer('denoise', 1);
    t = 10;
    offer('denoise', 2);
    t = 32;
    offer('denoise', 3);
    t = 33;
    offer('denoise', 4);
    offer('denoise', 5);
    t = 40;
    offer('denoise', 10);
    offer('decode', 10);
    expect(sent).toEqual(['load:0@0', 'denoise:1@0', 'denoise:4@33', 'denoise:10@40', 'decode:10@40']);
  });

  it('sends every update with an interval of 0', () => {
    const throttle = new ProgressThrottle(0, () => 5);
    const admitted = [1, 2, 3].map((step) => throttle.admit({ stage: 'denoise', step, totalSteps: 3 }));
    expect(admitted).toEqual([true, true, true]);
  });
});
