/** A dropped folder's entries become the upload's files: nested paths, batches, hidden parts left out. */
import { expect, test } from 'vitest';
import { droppedFolder, type DroppedDirectoryEntry, type DroppedEntry, type DroppedFileEntry } from '../../../renderer/src/lib/folder-drop';

const file = (name: string, text: string): DroppedFileEntry => ({ name, isFile: true, isDirectory: false, file: (ok) => ok(new File([text], name)) });

/** A directory whose reader hands out its children two at a time, as browsers do in batches. */
function dir(name: string, entries: DroppedEntry[]): DroppedDirectoryEntry {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader() {
      let at = 0;
      return {
        readEntries(ok) {
          const batch = entries.slice(at, at + 2);
          at += batch.length;
          ok(batch);
        },
      };
    },
  };
}

test('walks every folder in batches, keeps relative paths sorted, and leaves hidden entries out', async () => {
  const root = dir('my-model', [
    file('model_index.json', '{}'),
    dir('transformer', [file('model.onnx', 'onnx'), file('model.onnx.data', 'weights'), file('.DS_Store', '')]),
    dir('.git', [file('HEAD', 'ref')]),
    dir('tokenizer', [file('vocab.json', '{}'), file('merges.txt', '')]),
  ]);
  const folder = await droppedFolder(root);
  expect(folder.name).toBe('my-model');
  expect(folder.files.map((f) => f.path)).toEqual([
    'model_index.json',
    'tokenizer/merges.txt',
    'tokenizer/vocab.json',
    'transformer/model.onnx',
    'transformer/model.onnx.data',
  ]);
  expect(await folder.files[4]!.file.text()).toBe('weights');
});
