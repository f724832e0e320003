export { type Catalog, createCatalog } from './catalog.js';
export {
  BUILT_IN_MODELS,
  type CatalogModel,
  HIGH_RESOLUTION_PROFILE,
  maxImagesFor,
  STANDARD_PROFILE,
  type VisionProfile,
} from './models.js';
