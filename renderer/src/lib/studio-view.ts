/** The studio's top-level views, in the order the header's tabs show them. */
export const STUDIO_VIEWS = ['create', 'gallery', 'models', 'bench'] as const;
export type StudioView = (typeof STUDIO_VIEWS)[number];

export const VIEW_LABELS: Record<StudioView, string> = {
  create: 'Create',
  gallery: 'Gallery',
  models: 'Models',
  bench: 'Benchmarks',
};
