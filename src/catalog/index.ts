export { type Catalog, createCatalog } from './catalog.js';
export {
  CATALOG_COLUMNS,
  catalogMarkdown,
  catalogRecord,
  catalogRows,
} from './catalog-table.js';
export { modelCapabilities, modelInfo } from './model-info.js';
export {
  ALWAYS_THINKING,
  BUILT_IN_MODELS,
  type CatalogModel,
  GENERATION_4_5,
  GENERATION_4_6,
  GENERATION_4_7,
  HIGH_RESOLUTION_PROFILE,
  isCallable,
  LEGACY_BEHAVIOUR,
  type LongContextPrice,
  MODEL_LIFECYCLES,
  MODEL_LINES,
  type ModelBehaviour,
  type ModelLifecycle,
  type ModelLine,
  maxImagesFor,
  STANDARD_PROFILE,
  type VisionProfile,
} from './models.js';
