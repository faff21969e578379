/**
 * The desktop-only functions (contract/desktop-api.ts): the save dialog for exports and
 * "Reveal in folder" for a history file. Same caller check as the studio calls (ipc.ts),
 * requests validated with the contract's schemas, answers as CallResult envelopes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { DESKTOP_CHANNELS, revealMediaRequestSchema, saveFileRequestSchema, type SaveFileResult } from '../../contract/desktop-api';
import { StudioError, toApiError } from '../../contract/errors';
import type { CallResult } from '../../contract/api';
import { writeAtomically } from '../export/atomic-file';
import type { StudioService } from '../service/studio-service';
import { assertTrusted } from './ipc';

async function envelope<T>(run: () => Promise<T>): Promise<CallResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) throw new StudioError('INVALID_REQUEST', `Invalid request: ${result.error.message}`);
  return result.data;
}

/** Registers both handlers; returns a function that removes them again. */
export function registerDesktopHandlers(service: StudioService): () => void {
  ipcMain.handle(DESKTOP_CHANNELS.saveFile, (event, raw: unknown) => {
    assertTrusted(event, DESKTOP_CHANNELS.saveFile);
    return envelope(async (): Promise<SaveFileResult> => {
      const request = parse(saveFileRequestSchema, raw);
      const win = BrowserWindow.fromWebContents(event.sender);
      const options = {
        defaultPath: path.join(app.getPath('downloads'), request.suggestedName),
        filters: [{ name: request.filterName, extensions: request.extensions }],
      };
      const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return { saved: false };
      // The dialog already asked before replacing an existing file.
      await writeAtomically(choice.filePath, { replace: true }, async (temp) => fs.writeFileSync(temp, request.bytes, { flag: 'wx' }));
      return { saved: true, path: choice.filePath };
    });
  });
  ipcMain.handle(DESKTOP_CHANNELS.revealMedia, (event, raw: unknown) => {
    assertTrusted(event, DESKTOP_CHANNELS.revealMedia);
    return envelope(async () => {
      const { id } = parse(revealMediaRequestSchema, raw);
      const file = service.imagePath(id);
      if (file === undefined || !fs.existsSync(file)) throw new StudioError('NOT_FOUND', `History record #${id} has no file on disk.`);
      shell.showItemInFolder(file);
      return { revealed: true as const };
    });
  });
  return () => {
    ipcMain.removeHandler(DESKTOP_CHANNELS.saveFile);
    ipcMain.removeHandler(DESKTOP_CHANNELS.revealMedia);
  };
}
