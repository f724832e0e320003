// The image pipeline library: pure (no env, no sockets); everything the server, CLI and Workbench use.
export { base64Of, decodeBase64, isStrictBase64 } from './base64.js';
export { createLruCache, type LruCache } from './cache.js';
export {
  ACCEPTED_MEDIA_TYPES,
  byteSizeProblem,
  dataPath,
  headerProblem,
  type ImageFacts,
  imageCountProblem,
  imageProblem,
  invalidBase64Message,
  manyImagesProblem,
  mediaTypeProblem,
  oversizedProblem,
  type SourceKind,
  sourcePath,
} from './checks.js';
export {
  type Box,
  boxOriginalToView,
  boxViewToOriginal,
  type MappedPoint,
  originalToView,
  type Point,
  viewToOriginal,
} from './coordinates.js';
export { type ImageCost, imageCost, usdForInputTokens } from './cost.js';
export {
  base64Length,
  type EncodedView,
  type EncodeViewOptions,
  encodeViewWithin,
  encodingLadder,
  fitImageWithin,
  isLossyWebp,
  type RawPixels,
  TEXT_SAFE_JPEG_QUALITY,
  type ViewFormatChoice,
} from './encode-view.js';
export {
  createImagePipeline,
  type ImagePipeline,
  type ImagePipelineOptions,
  type PreparedView,
  type SharedViewStore,
  type ViewTarget,
} from './pipeline.js';
export {
  fitsProfile,
  type ImagePlan,
  PATCH_SIZE,
  PIXELS_PER_TOKEN,
  padToPatch,
  planImage,
  roundHalfEven,
  tokensForSize,
} from './plan.js';
export { type ImageProbe, probeImage, withoutExifOrientation } from './probe.js';
export {
  COULD_NOT_PROCESS_IMAGE,
  type RenderedView,
  type RenderOptions,
  renderModelView,
  type ViewFormat,
} from './render.js';
export {
  DEFAULT_VISION_RULES,
  type ImagePlatform,
  isVisionRules,
  maxImageBytesFor,
  VISION_RULES,
  type VisionRules,
} from './rules.js';
export { configureSharp } from './sharp-setup.js';
export { formatFromMediaType, type ImageFormat, MEDIA_TYPES, sniffFormat } from './sniff.js';
export {
  type DecodedImage,
  type ImageSourceInput,
  type ImageToValidate,
  MANY_IMAGES_MAX_SIDE,
  MANY_IMAGES_THRESHOLD,
  MAX_IMAGE_SIDE,
  maxImageBytesOf,
  type SourceDecoder,
  type ValidatedImage,
  type ValidationTarget,
  validateImages,
} from './validate.js';
