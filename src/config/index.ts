export {
  type BackendConfig,
  ConfigError,
  DEFAULT_CONFIG,
  type ModelRouteConfig,
  type ProfileConfig,
  parseConfig,
  type SightlineConfig,
} from './config.js';
export {
  type ComputerUseMode,
  DEFAULT_REPAIR_CONFIG,
  type KeyOverrides,
  type RepairConfig,
} from './repair-config.js';
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits.js';
