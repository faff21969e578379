/**
 * A folder dropped onto the page, as the files an upload sends (model-upload.ts): the drop's
 * directory entry is walked (readEntries hands out a directory's children in batches until it
 * returns none), hidden files and folders left out as the model's hash leaves them out.
 *
 * Typed against the few members of the File and Directory Entries API it uses, so tests can
 * walk a folder of plain objects.
 */
import type { ChosenFolder } from './model-upload';

export interface DroppedEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}
export interface DroppedFileEntry extends DroppedEntry {
  file(ok: (file: File) => void, fail: (err: unknown) => void): void;
}
export interface DroppedDirectoryEntry extends DroppedEntry {
  createReader(): { readEntries(ok: (entries: DroppedEntry[]) => void, fail: (err: unknown) => void): void };
}

async function children(dir: DroppedDirectoryEntry): Promise<DroppedEntry[]> {
  const reader = dir.createReader();
  const all: DroppedEntry[] = [];
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Every file under `root`, with '/'-separated paths relative to it. */
export async function droppedFolder(root: DroppedDirectoryEntry): Promise<ChosenFolder> {
  const files: ChosenFolder['files'] = [];
  const visit = async (dir: DroppedDirectoryEntry, prefix: string): Promise<void> => {
    for (const entry of await children(dir)) {
      if (entry.name.startsWith('.')) continue;
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory) await visit(entry as DroppedDirectoryEntry, `${rel}/`);
      else if (entry.isFile) files.push({ path: rel, file: await new Promise<File>((ok, fail) => (entry as DroppedFileEntry).file(ok, fail)) });
    }
  };
  await visit(root, '');
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: root.name, files };
}
