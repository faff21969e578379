// The gallery's requests are checked at the boundary: history.list's filters, and the
// favourite, delete and restore calls.
import { describe, expect, it } from 'vitest';
import { GALLERY_BATCH_MAX } from '../../../contract/gallery';
import { validateCallRequest } from '../../../contract/validate';

describe('gallery requests', () => {
  it('history.list takes model, method, date range and favourites', () => {
    const query = { model: 'emoji', cacheMethod: 'none', from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00+01:00', favourites: true };
    expect(validateCallRequest('history.list', query)).toEqual(query);
  });

  it('history.list refuses an unknown method, a date without time or offset, and a non-boolean favourites', () => {
    expect(() => validateCallRequest('history.list', { cacheMethod: 'turbo' })).toThrow(/cacheMethod must be one of none, fora/);
    expect(() => validateCallRequest('history.list', { from: '2026-01-01' })).toThrow(/from must be an ISO 8601 date and time/);
    expect(() => validateCallRequest('history.list', { to: '2026-01-01T00:00:00' })).toThrow(/to must be an ISO 8601 date and time/);
    expect(() => validateCallRequest('history.list', { favourites: 'yes' })).toThrow(/favourites must be true or false/);
  });

  it('history.setFavourite needs a record id and a boolean', () => {
    expect(validateCallRequest('history.setFavourite', { id: 3, favourite: false })).toEqual({ id: 3, favourite: false });
    expect(() => validateCallRequest('history.setFavourite', { id: 3 })).toThrow(/favourite must be true or false/);
    expect(() => validateCallRequest('history.setFavourite', { id: 0, favourite: true })).toThrow(/id must be an integer/);
  });

  it('history.delete and history.restore take 1..GALLERY_BATCH_MAX record ids', () => {
    expect(validateCallRequest('history.delete', { ids: [1, 2] })).toEqual({ ids: [1, 2] });
    expect(validateCallRequest('history.restore', { ids: [7] })).toEqual({ ids: [7] });
    expect(() => validateCallRequest('history.delete', { ids: [] })).toThrow(/ids must name at least one record id/);
    expect(() => validateCallRequest('history.delete', { ids: Array.from({ length: GALLERY_BATCH_MAX + 1 }, (_, i) => i + 1) })).toThrow(/at most 500/);
    expect(() => validateCallRequest('history.restore', { ids: [1.5] })).toThrow(/must be an integer/);
    expect(() => validateCallRequest('history.delete', { id: 1 })).toThrow(/unknown field "id"/);
  });
});
