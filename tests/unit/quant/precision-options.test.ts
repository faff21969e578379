/** generate's --precision / --compensation options: what they ask for, and what they refuse. */
import { describe, expect, test } from 'vitest';
import { parsePrecisionOptions } from '../../../main/quant/precision-options';

describe('precision options', () => {
  test('map to the variant and the compensation of the request', () => {
    expect(parsePrecisionOptions({}, 'auto')).toEqual({});
    expect(parsePrecisionOptions({ precision: 'w8a8' }, 'cpu')).toEqual({ denoiserVariant: 'int8-w8a8' });
    expect(parsePrecisionOptions({ precision: 'w4a8', compensation: 'tcec', 'compensation-strength': '0.5' }, 'auto')).toEqual({ denoiserVariant: 'int4-w4a8', compensation: { method: 'tcec', strength: 0.5 } });
    expect(parsePrecisionOptions({ precision: 'w8a8', compensation: 'ptqd' }, 'cpu')).toEqual({ denoiserVariant: 'int8-w8a8', compensation: { method: 'ptqd' } });
  });

  test('refuse a compensation without a quantized precision, a provider that cannot run it, and bad values', () => {
    expect(() => parsePrecisionOptions({ compensation: 'tcec' }, 'cpu')).toThrow(/corrects a quantized denoiser; add --precision w8a8/);
    expect(() => parsePrecisionOptions({ precision: 'w8a8' }, 'cuda')).toThrow(expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' }));
    expect(() => parsePrecisionOptions({ precision: 'int3' }, 'cpu')).toThrow(/--precision must be one of/);
    expect(() => parsePrecisionOptions({ precision: 'w8a8', compensation: 'magic' }, 'cpu')).toThrow(/--compensation must be one of/);
    expect(() => parsePrecisionOptions({ precision: 'w8a8', compensation: 'tcec', 'compensation-strength': '-1' }, 'cpu')).toThrow(/0\.\.4/);
    expect(() => parsePrecisionOptions({ precision: 'w8a8', 'compensation-strength': '1' }, 'cpu')).toThrow(/needs --compensation/);
  });
});
