// Looks models up by id or alias; configured models are added to (or override) the built-in ones.
import { BUILT_IN_MODELS, type CatalogModel } from './models.js';

export interface Catalog {
  /** Newest first. */
  readonly models: readonly CatalogModel[];
  find(idOrAlias: string): CatalogModel | undefined;
}

export function createCatalog(extraModels: readonly CatalogModel[] = []): Catalog {
  const byId = new Map<string, CatalogModel>();
  for (const model of [...BUILT_IN_MODELS, ...extraModels]) byId.set(model.id, model);
  const models = [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const lookup = new Map<string, CatalogModel>();
  for (const model of models) {
    lookup.set(model.id, model);
    for (const alias of model.aliases) lookup.set(alias, model);
  }
  return { models, find: (idOrAlias) => lookup.get(idOrAlias) };
}
