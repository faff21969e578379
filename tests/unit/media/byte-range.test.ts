import { describe, expect, it } from 'vitest';
import { parseByteRange } from '../../../main/media/byte-range';

const SIZE = 1000;

describe('parseByteRange', () => {
  it('serves the whole file without a Range header', () => {
    expect(parseByteRange(undefined, SIZE)).toEqual({ kind: 'whole' });
  });

  it('bytes=0- is the whole file as a 206 span', () => {
    expect(parseByteRange('bytes=0-', SIZE)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('bytes=N-M is inclusive, and M past the end is clamped', () => {
    expect(parseByteRange('bytes=0-0', SIZE)).toEqual({ kind: 'partial', start: 0, end: 0 });
    expect(parseByteRange('bytes=100-199', SIZE)).toEqual({ kind: 'partial', start: 100, end: 199 });
    expect(parseByteRange('bytes=900-5000', SIZE)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseByteRange('bytes=999-999', SIZE)).toEqual({ kind: 'partial', start: 999, end: 999 });
  });

  it('bytes=-K is the last K bytes, or all of a shorter file', () => {
    expect(parseByteRange('bytes=-500', SIZE)).toEqual({ kind: 'partial', start: 500, end: 999 });
    expect(parseByteRange('bytes=-1', SIZE)).toEqual({ kind: 'partial', start: 999, end: 999 });
    expect(parseByteRange('bytes=-5000', SIZE)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('a start at or past the end, bytes=-0, and any range of an empty file are unsatisfiable', () => {
    expect(parseByteRange('bytes=1000-', SIZE)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=1000-2000', SIZE)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=99999999999999999999-', SIZE)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-0', SIZE)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores an invalid range (bytes=5-2) and serves the whole file, as RFC 9110 requires', () => {
    expect(parseByteRange('bytes=5-2', SIZE)).toEqual({ kind: 'whole' });
  });

  it('serves the whole file for several ranges instead of multipart/byteranges', () => {
    expect(parseByteRange('bytes=0-1,5-6', SIZE)).toEqual({ kind: 'whole' });
    expect(parseByteRange('bytes=0-1, -5', SIZE)).toEqual({ kind: 'whole' });
  });

  it('ignores other units and malformed headers', () => {
    for (const header of ['items=0-1', 'bytes', 'bytes=', 'bytes=-', 'bytes=a-b', 'bytes=1.5-2', 'bytes=-1-2', 'bytes=+1-2', '']) {
      expect(parseByteRange(header, SIZE), header).toEqual({ kind: 'whole' });
    }
  });

  it('accepts the unit in any case and whitespace around the parts', () => {
    expect(parseByteRange('Bytes = 10 - 19 ', SIZE)).toEqual({ kind: 'partial', start: 10, end: 19 });
  });
});
