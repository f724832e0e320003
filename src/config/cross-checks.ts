// What one key cannot check alone: a model routed to a backend the file does not configure, or `like` a
// model the catalog does not know. Made on the document itself, so these mistakes are reported with the
// schema's, in the same style.
import { createCatalog } from '../catalog/index.js';
import { isRecord } from '../net/is-record.js';
import { closest } from './suggest.js';

export function crossCheck(document: Record<string, unknown>): string[] {
  const { backends, models } = document;
  if (!Array.isArray(models)) return [];
  const knownBackends = ['local', ...(isRecord(backends) ? Object.keys(backends) : [])];
  const catalog = createCatalog();
  const catalogIds = catalog.models.flatMap((model) => [model.id, ...model.aliases]);
  return models.flatMap((model, index) => {
    if (!isRecord(model)) return [];
    const problems: string[] = [];
    const { backend, like } = model;
    if (typeof backend === 'string' && backend !== '' && !knownBackends.includes(backend))
      problems.push(
        `models.${index}.backend: no backend named ${backend} (known: ${knownBackends.join(', ')})`,
      );
    if (typeof like === 'string' && like !== '' && catalog.find(like) === undefined) {
      const match = closest(like, catalogIds);
      problems.push(
        `models.${index}.like: no catalog model named ${like}${match === undefined ? '' : ` (did you mean "${match}"?)`}`,
      );
    }
    return problems;
  });
}
