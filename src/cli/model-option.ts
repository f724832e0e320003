// `--model ID[,ID]` (repeatable) on the local commands: the catalog models named, in order, or every
// callable one when none is named (retired models only by name). Unknown ids are a usage error.
import { type CatalogModel, createCatalog, isCallable } from '../catalog/index.js';
import { commaListOption, type ParsedArgs, UsageError } from './args.js';

export function modelsOption(args: ParsedArgs, ...names: string[]): CatalogModel[] {
  const catalog = createCatalog();
  const ids = commaListOption(args, ...names);
  if (ids.length === 0) return catalog.models.filter(isCallable);
  return ids.map((id) => {
    const model = catalog.find(id);
    if (!model)
      throw new UsageError(
        `unknown model ${id}; known: ${catalog.models.map((entry) => entry.id).join(', ')}`,
      );
    return model;
  });
}
