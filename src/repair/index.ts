// Repair mode: opt-in fixes for requests Claude would refuse because of their images.
export {
  type EncodedImage,
  type EncodeLimits,
  type EncodeSource,
  encodeWithin,
  fitWithin,
  shrinkTo,
} from './encode-within.js';
export {
  omissionText,
  type RepairImageRef,
  type RepairInput,
  type RepairResult,
  repairRequest,
} from './repair-request.js';
export { formatRepairsHeader, MAX_REPAIRS_HEADER_LENGTH, REPAIRS_HEADER } from './report-header.js';
export { REPAIR_HEADER, resolveRepairSettings } from './settings.js';
export {
  type ImageFacts,
  REPAIR_OFF,
  type RepairAction,
  type RepairLimits,
  type RepairReport,
  type RepairSettings,
} from './types.js';
