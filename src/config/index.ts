export { BACKEND_TYPES, type BackendConfig } from './backends-config.js';
export {
  ConfigError,
  type ConfigOverrides,
  DEFAULT_CONFIG,
  type ParseConfigOptions,
  parseConfig,
  type SightlineConfig,
} from './config.js';
export type { Environment } from './environment.js';
export type { ModelRouteConfig, ProfileConfig } from './models-config.js';
export { DEFAULT_OPERATIONS_CONFIG, type KeyLimits, type OperationsConfig } from './operations-config.js';
export {
  type ComputerUseMode,
  DEFAULT_REPAIR_CONFIG,
  type KeyOverrides,
  type RepairConfig,
} from './repair-config.js';
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits.js';
