// The gallery's filters become history.list queries; its zoom keeps whole-pixel steps.
import { describe, expect, it } from 'vitest';
import { isFiltered, localDayStart, NO_FILTERS, toHistoryQuery } from '../../../renderer/src/lib/gallery-query';
import { fitScale, stepZoom } from '../../../renderer/src/lib/gallery-zoom';

describe('gallery filters', () => {
  it('sends nothing when nothing is set', () => {
    expect(toHistoryQuery(NO_FILTERS)).toEqual({});
    expect(isFiltered({ ...NO_FILTERS, search: '   ' })).toBe(false);
  });

  it('turns local days into an inclusive range of instants', () => {
    const query = toHistoryQuery({ ...NO_FILTERS, from: '2026-02-27', to: '2026-02-28' });
    expect(query.from).toBe(new Date(2026, 1, 27).toISOString());
    // The last day counts whole: up to the next local midnight, exclusive (across a month end).
    expect(query.to).toBe(new Date(2026, 2, 1).toISOString());
    expect(localDayStart('27/02/2026')).toBeUndefined();
  });

  it('passes search, model, method and favourites', () => {
    expect(toHistoryQuery({ search: ' red cat ', model: 'emoji', cacheMethod: 'fora', from: '', to: '', favourites: true })).toEqual({
      search: 'red cat',
      model: 'emoji',
      cacheMethod: 'fora',
      favourites: true,
    });
  });
});

describe('gallery zoom', () => {
  it('fits by the largest whole step that fits the room', () => {
    expect(fitScale({ width: 64, height: 64 }, { width: 600, height: 500 })).toBe(6);
    expect(fitScale({ width: 64, height: 64 }, { width: 40, height: 40 })).toBe(1);
  });

  it('steps in and out and stops at the ends', () => {
    expect(stepZoom(1, 1)).toBe(2);
    expect(stepZoom(6, -1)).toBe(4);
    expect(stepZoom(5, 1)).toBe(6);
    expect(stepZoom(32, 1)).toBe(32);
    expect(stepZoom(1, -1)).toBe(1);
  });
});
