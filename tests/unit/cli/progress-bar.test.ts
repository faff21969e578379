/**
 * The CLI's progress line (main/cli/progress-bar.ts): the rate and time left measured from the
 * run so far, and the line mode for logs. Times come from a clock the tests move.
 */
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatProgress, StepRateMeter } from '../../../main/cli/progress-bar';

describe('formatProgress with a measured rate', () => {
  it('adds steps/s and the time left', () => {
    expect(formatProgress('denoise', 12, 50, 1300, { stepsPerSecond: 9.23, etaMs: 4117 })).toBe('[#####...............] 12/50 denoise 1.3s · 9.2 steps/s · ~4.1s left');
    expect(formatProgress('denoise', 40, 50, 900, { stepsPerSecond: 48.6, etaMs: 205 })).toBe('[################....] 40/50 denoise 0.9s · 49 steps/s · ~0.2s left');
  });
});

describe('StepRateMeter', () => {
  it('measures from the first denoise update, not from the start of the run', () => {
    const meter = new StepRateMeter();
    expect(meter.update('load', 0, 50, 0)).toBeUndefined();
    expect(meter.update('denoise', 0, 50, 2000)).toBeUndefined();
    // 10 steps in 500 ms: 20 steps/s, 40 left → 2 s.
    expect(meter.update('denoise', 10, 50, 2500)).toEqual({ stepsPerSecond: 20, etaMs: 2000 });
    expect(meter.update('denoise', 30, 50, 3500)).toEqual({ stepsPerSecond: 20, etaMs: 1000 });
    expect(meter.update('decode', 50, 50, 4000)).toBeUndefined();
  });

  it('starts again when a new run begins at a lower step', () => {
    const meter = new StepRateMeter();
    meter.update('denoise', 0, 10, 0);
    meter.update('denoise', 10, 10, 100);
    expect(meter.update('denoise', 0, 10, 500)).toBeUndefined();
    expect(meter.update('denoise', 5, 10, 1000)).toEqual({ stepsPerSecond: 10, etaMs: 500 });
  });
});

describe('createProgressBar', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream };
  };

  it('prints nothing when stderr is not a terminal and no lines are asked for', () => {
    const s = stream(false);
    const bar = createProgressBar(s.stream, {});
    bar.update('denoise', 3, 10);
    bar.done();
    expect(s.written).toEqual([]);
  });

  it('STUDIO_PROGRESS=lines: a line per stage and per tenth of the steps, with the ETA once known', () => {
    const s = stream(false);
    let t = 0;
    const bar = createProgressBar(s.stream, { STUDIO_PROGRESS: 'lines' }, () => t);
    bar.update('load', 0, 20);
    for (let step = 0; step <= 20; step++) {
      t = 1000 + 50 * step;
      bar.update('denoise', step, 20);
    }
    bar.update('decode', 20, 20);
    expect(s.written).toHaveLength(1 + 11 + 1);
    expect(s.written.every((line) => line.endsWith('\n'))).toBe(true);
    expect(s.written[2]).toBe('[##..................] 2/20 denoise 1.1s · 20 steps/s · ~0.9s left\n');
  });

  it('on a terminal: redraws one line in place and erases it when done', () => {
    const s = stream(true);
    let t = 0;
    const bar = createProgressBar(s.stream, {}, () => t);
    bar.update('denoise', 0, 4);
    t = 100;
    bar.update('denoise', 2, 4);
    bar.done();
    expect(s.written[1]).toBe('\r[##########..........] 2/4 denoise 0.1s · 20 steps/s · ~0.1s left');
    expect(s.written[2]).toMatch(/^\r +\r$/);
  });
});
