/**
 * What a crash leaves in STUDIO_HOME/outputs, laid out as the two kills leave it (a staged temp
 * file never renamed; a renamed PNG whose history row was never inserted), cleaned when a studio
 * service starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { createStudioService } from '../../../main/service/studio-service';
import { openStudioDb } from '../../../main/store/studio-db';
import { sweepOutputLeftovers } from '../../../main/store/output-leftovers';
import { cleanupTempDirs, listFilesDeep, tempDir } from '../../helpers/runtime-fixture';
import { testWorkerSpawner } from '../../helpers/job-worker';
import { generation } from './fixtures';

afterAll(cleanupTempDirs);

const DAY = '2025-01-02';
const HOUR_AGO = (Date.now() - 3_600_000) / 1000;

function put(file: string, bytes = 'png bytes', old = true): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  if (old) fs.utimesSync(file, HOUR_AGO, HOUR_AGO);
  return file;
}

/** A STUDIO_HOME after crashes: one recorded image, one orphan, one stale temp file, and files that must stay. */
function crashedHome(): { paths: StudioPaths; recorded: string; orphan: string } {
  const paths = studioPaths(tempDir('studio-home-'));
  const dir = path.join(paths.outputs, DAY);
  const recorded = put(path.join(dir, '20250102-030405-000-1.png'));
  const db = openStudioDb(paths.db);
  db.history.insert({ ...generation({ seed: 1 }), outputPath: recorded });
  db.close();
  const orphan = put(path.join(dir, '20250102-030405-001-2.png'), 'orphan image');
  put(path.join(dir, '.20250102-030405-002-3.png.0a1b2c3d.tmp'), 'half a png');
  // A save in progress in another process right now: too fresh to be a leftover.
  put(path.join(dir, '.20250102-030405-003-4.png.deadbeef.tmp'), 'being written', false);
  put(path.join(dir, '20250102-030405-004-5.png'), 'just renamed', false);
  // Not the studio's: never touched.
  put(path.join(dir, 'notes.txt'));
  put(path.join(paths.outputs, 'my-picture.png'));
  return { paths, recorded, orphan };
}

describe('files left by a crash in the outputs folder', () => {
  it('stale temp files are deleted; saved images with no row move to orphans; everything else stays', () => {
    const { paths, recorded, orphan } = crashedHome();
    const db = openStudioDb(paths.db);
    const report = sweepOutputLeftovers({ outputs: paths.outputs, orphans: paths.orphans, recordedPaths: () => db.history.allOutputPaths() });
    db.close();
    expect(report.removedTemp.map((f) => path.basename(f))).toEqual(['.20250102-030405-002-3.png.0a1b2c3d.tmp']);
    const moved = path.join(paths.orphans, DAY, path.basename(orphan));
    expect(report.movedOrphans).toEqual([{ from: orphan, to: moved }]);
    expect(fs.readFileSync(moved, 'utf8')).toBe('orphan image');
    expect(fs.existsSync(recorded)).toBe(true);
    expect(listFilesDeep(paths.outputs).sort()).toEqual(
      [`${DAY}/.20250102-030405-003-4.png.deadbeef.tmp`, `${DAY}/20250102-030405-000-1.png`, `${DAY}/20250102-030405-004-5.png`, `${DAY}/notes.txt`, 'my-picture.png'].map((f) => path.normalize(f)).sort(),
    );
  });

  it('a recorded image is recognised by its day and name, so a moved STUDIO_HOME loses nothing', () => {
    const { paths, recorded } = crashedHome();
    const elsewhere = `/old/place/outputs/${DAY}/${path.basename(recorded)}`;
    const report = sweepOutputLeftovers({ outputs: paths.outputs, orphans: paths.orphans, recordedPaths: () => [elsewhere] });
    expect(report.movedOrphans.map((m) => path.basename(m.from))).toEqual(['20250102-030405-001-2.png']);
    expect(fs.existsSync(recorded)).toBe(true);
  });

  it('an orphan never overwrites one moved before', () => {
    const { paths, orphan } = crashedHome();
    put(path.join(paths.orphans, DAY, path.basename(orphan)), 'earlier orphan');
    const report = sweepOutputLeftovers({ outputs: paths.outputs, orphans: paths.orphans, recordedPaths: () => [] });
    expect(fs.readFileSync(path.join(paths.orphans, DAY, path.basename(orphan)), 'utf8')).toBe('earlier orphan');
    expect(report.movedOrphans.find((m) => m.from === orphan)?.to).toBe(path.join(paths.orphans, DAY, '20250102-030405-001-2-1.png'));
  });

  it('a studio service cleans them when it starts', async () => {
    const { paths, recorded, orphan } = crashedHome();
    const service = createStudioService({ paths, appVersion: 'test', mode: 'browser', spawnWorker: testWorkerSpawner() });
    try {
      expect(fs.existsSync(orphan)).toBe(false);
      expect(fs.existsSync(path.join(paths.orphans, DAY, path.basename(orphan)))).toBe(true);
      expect(fs.existsSync(path.join(paths.outputs, DAY, '.20250102-030405-002-3.png.0a1b2c3d.tmp'))).toBe(false);
      expect(service.imagePath(1)).toBe(recorded);
      expect(fs.existsSync(recorded)).toBe(true);
    } finally {
      await service.close();
    }
  });
});
