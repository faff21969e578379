/**
 * Component identity: each part of a pipeline folder (text encoder, tokenizer, denoiser, VAE
 * decoder, scheduler) is identified by the content hash of its own folder (model-hash.ts's
 * folderHash), not by the pipeline it sits in. Two pipelines holding byte-identical components
 * (the bundled `emoji` and `emoji-small` share their text encoder, tokenizer, VAE and scheduler)
 * therefore name the same component, which is loaded once (runner-pool.ts).
 *
 * A component may run as a variant (variants.ts): another file standing in for its model, such
 * as an int8 denoiser. The variant is recorded beside the component's hash and never changes it,
 * so anything keyed by the original (cache profiles, the pipeline hash) stays valid.
 */
import path from 'node:path';
import type { RecipeComponent } from '../../contract/api';
import { folderHash, type HashStore } from './model-hash';
import type { PipelineLayout } from './pipeline-layout';

export const COMPONENT_ROLES = ['text_encoder', 'tokenizer', 'denoiser', 'vae_decoder', 'scheduler'] as const;
export type ComponentRole = (typeof COMPONENT_ROLES)[number];

/** The name of the original, unmodified model of a component. */
export const ORIGINAL_VARIANT = 'fp32';

export interface ComponentIdentity {
  role: ComponentRole;
  /** Folder relative to the pipeline, e.g. 'transformer'. */
  folder: string;
  /** Absolute folder path. */
  dir: string;
  /** sha256 of the folder (model-hash.ts). */
  hash: string;
}

/** The folder each role lives in for this layout. */
export function componentFolder(layout: Pick<PipelineLayout, 'denoiser'>, role: ComponentRole): string {
  return role === 'denoiser' ? layout.denoiser : role;
}

/** Every component's identity, hashed through `store` when given (so a cold process does not rehash). */
export async function identifyComponents(layout: Pick<PipelineLayout, 'dir' | 'denoiser'>, store?: HashStore): Promise<ComponentIdentity[]> {
  const out: ComponentIdentity[] = [];
  for (const role of COMPONENT_ROLES) {
    const folder = componentFolder(layout, role);
    const dir = path.join(layout.dir, folder);
    out.push({ role, folder, dir, hash: await folderHash(dir, store) });
  }
  return out;
}

/** What a recipe records of each component that ran. */
export function recipeComponents(identities: readonly ComponentIdentity[], variants: Partial<Record<ComponentRole, { name: string; hash: string }>> = {}): RecipeComponent[] {
  return identities.map(({ role, hash }) => {
    const variant = variants[role];
    return variant === undefined ? { role, hash, variant: ORIGINAL_VARIANT } : { role, hash, variant: variant.name, variantHash: variant.hash };
  });
}
