/**
 * `/media/<id>` serves only files inside the studio's outputs folder, whatever path a
 * history row holds: a row pointing at /etc/passwd, at a file beside the outputs folder,
 * or at a symlink inside it that leads out, is a 404 with a log line, never the file.
 * The same check runs for the desktop app's studio://media (findMediaFile is shared).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findMediaFile } from '../../../main/media/media-file';
import { openStudioDb } from '../../../main/store/studio-db';
import { generation } from '../store/fixtures';
import { raw, startHarness, type Harness } from './http-harness';

let h: Harness;
const ids: Record<string, number> = {};
const INSIDE = Buffer.from('inside the outputs folder');

beforeAll(async () => {
  h = await startHarness();
  const outputs = h.service.paths.outputs;
  fs.mkdirSync(path.join(outputs, 'day'), { recursive: true });
  fs.writeFileSync(path.join(outputs, 'day', 'ok.png'), INSIDE);
  // Beside the outputs folder, in the studio's own home: still not an output.
  fs.writeFileSync(path.join(h.home, 'secret.png'), 'not an output');
  fs.symlinkSync(path.join(h.home, 'secret.png'), path.join(outputs, 'day', 'escape.png'));
  fs.symlinkSync('/etc', path.join(outputs, 'etc-link'));
  const db = openStudioDb(h.service.paths.db);
  try {
    const add = (name: string, outputPath: string): void => {
      ids[name] = db.history.insert({ ...generation(), outputPath }).id;
    };
    add('inside', path.join(outputs, 'day', 'ok.png'));
    add('passwd', '/etc/passwd');
    add('beside', path.join(h.home, 'secret.png'));
    add('dotdot', path.join(outputs, 'day', '..', '..', 'secret.png'));
    add('symlink', path.join(outputs, 'day', 'escape.png'));
    add('dirLink', path.join(outputs, 'etc-link', 'passwd'));
    add('relative', 'secret.png');
  } finally {
    db.close();
  }
});
afterAll(async () => {
  await h?.close();
});

describe('/media/<id> stays inside the outputs folder', () => {
  it('serves a file inside it', async () => {
    const res = await raw(h.server.port, { path: `/media/${ids.inside}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(INSIDE);
  });

  it.each(['passwd', 'beside', 'dotdot', 'symlink', 'dirLink', 'relative'])('refuses a row whose path leads outside (%s) with 404 and a log line', async (name) => {
    const logged = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const res = await raw(h.server.port, { path: `/media/${ids[name]}` });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('root:');
      expect(res.text).not.toContain('not an output');
      expect(logged.mock.calls.map((c) => String(c[0])).join('')).toContain(`history record ${ids[name]}`);
    } finally {
      logged.mockRestore();
    }
  });

  it('findMediaFile, shared with the desktop protocol, applies the same rule', async () => {
    const logged = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const lookup = (id: number): string | undefined => (id === 1 ? '/etc/passwd' : path.join(h.service.paths.outputs, 'day', 'ok.png'));
      expect(await findMediaFile(lookup, '1', h.service.paths.outputs)).toBeUndefined();
      expect((await findMediaFile(lookup, '2', h.service.paths.outputs))?.size).toBe(INSIDE.length);
    } finally {
      logged.mockRestore();
    }
  });
});
