/**
 * Uploads of a pipeline folder, chunk by chunk, on a real folder and store: a complete upload is
 * installed with the same hash as the folder it came from; paths that leave the folder, chunks out
 * of order or past a file's size, an unfinished file and a cancel are refused or cleaned up, and
 * nothing half-uploaded reaches the models folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MODEL_UPLOAD_LIMITS } from '../../../contract/model-upload';
import { validateCallRequest } from '../../../contract/validate';
import { ModelRegistry } from '../../../main/models/model-registry';
import { ModelUploads } from '../../../main/models/model-upload';
import { listFiles, pipelineHash } from '../../../main/runtime/model-hash';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, TINY_DIR, tempDir } from '../../helpers/runtime-fixture';

let home: string;
let db: StudioDb;
let registry: ModelRegistry;
let uploads: ModelUploads;
const uploadsDir = () => path.join(home, 'uploads');

beforeEach(() => {
  home = tempDir('studio-upload-');
  registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: path.join(home, 'models') });
  fs.mkdirSync(registry.userDir);
  db = openStudioDb(path.join(home, 'studio.db'));
  uploads = new ModelUploads({ uploadsDir: uploadsDir(), registry, record: (e) => db.modelImports.insert(e), hashes: () => db.folderHashes });
});
afterEach(() => db.close());
afterAll(() => cleanupTempDirs());

/** Sends every file of `dir` in chunks, as the page does. */
function sendAll(uploadId: string, dir: string): void {
  for (const f of listFiles(dir)) {
    const bytes = fs.readFileSync(f.abs);
    for (let offset = 0; offset < bytes.length; offset += MODEL_UPLOAD_LIMITS.chunkBytes) {
      const data = bytes.subarray(offset, offset + MODEL_UPLOAD_LIMITS.chunkBytes).toString('base64');
      uploads.chunk(validateCallRequest('models.uploadChunk', { uploadId, path: f.rel, offset, data }));
    }
  }
}

const begin = (dir: string, name = 'tiny-up') =>
  uploads.begin(validateCallRequest('models.uploadBegin', { name, files: listFiles(dir).map((f) => ({ path: f.rel, size: f.size })) }));

/** A copy of tiny whose studio.json names it `id`. */
function tinyAs(id: string): string {
  const dir = path.join(tempDir('studio-upload-src-'), id);
  fs.cpSync(TINY_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'studio.json'), JSON.stringify({ id }));
  return dir;
}

describe('an upload', () => {
  test('installs the folder under its id with the hash of the folder it came from, and leaves no upload behind', async () => {
    const src = tinyAs('tiny-up');
    const { uploadId } = begin(src);
    sendAll(uploadId, src);
    const result = await uploads.finish(uploadId);
    expect(result).toMatchObject({ modelId: 'tiny-up', dir: path.join(registry.userDir, 'tiny-up'), source: 'upload: tiny-up', sha256: await pipelineHash(src) });
    expect(registry.list().some((m) => m.id === 'tiny-up')).toBe(true);
    expect(fs.readdirSync(uploadsDir())).toEqual([]);
  });

  test('a file path that leaves the folder, or a hidden one, is refused before anything is written', () => {
    for (const bad of ['../escape.json', 'a/../../b', '/abs', '.git/config', 'a//b']) {
      expect(() => validateCallRequest('models.uploadBegin', { name: 'x', files: [{ path: bad, size: 1 }] }), bad).toThrow(/relative path inside the folder/);
    }
    expect(() => uploads.begin(validateCallRequest('models.uploadBegin', { name: 'x', files: [{ path: 'notes.txt', size: 1 }] }))).toThrow(/no model_index.json/);
    expect(fs.existsSync(uploadsDir())).toBe(false);
  });

  test('chunks out of order or past the declared size are refused; an unfinished upload is refused at finish and removed', async () => {
    const src = tinyAs('tiny-part');
    const { uploadId } = begin(src);
    const data = Buffer.from('{"x":1}').toString('base64');
    expect(() => uploads.chunk({ uploadId, path: 'model_index.json', offset: 5, data })).toThrow(/starts at byte 5, but 0 bytes have arrived/);
    expect(() => uploads.chunk({ uploadId, path: 'unknown.bin', offset: 0, data })).toThrow(/not one of the files/);
    const size = fs.statSync(path.join(src, 'model_index.json')).size;
    expect(() => uploads.chunk({ uploadId, path: 'model_index.json', offset: 0, data: Buffer.alloc(size + 1).toString('base64') })).toThrow(/runs past the \d+ bytes declared/);
    await expect(uploads.finish(uploadId)).rejects.toThrow(/is incomplete/);
    expect(fs.readdirSync(uploadsDir())).toEqual([]);
    expect(fs.readdirSync(registry.userDir)).toEqual([]);
    expect(() => uploads.chunk({ uploadId, path: 'model_index.json', offset: 0, data })).toThrow(/no upload .* in progress/);
  });

  test('cancel removes the files; a leftover of an earlier run is removed when the next upload begins', () => {
    const src = tinyAs('tiny-cancel');
    const first = begin(src);
    expect(uploads.cancel(first.uploadId)).toEqual({ cancelled: true });
    expect(fs.readdirSync(uploadsDir())).toEqual([]);
    fs.mkdirSync(path.join(uploadsDir(), 'left-over', 'x'), { recursive: true });
    const second = begin(src);
    expect(fs.readdirSync(uploadsDir())).toEqual([second.uploadId]);
  });
});
