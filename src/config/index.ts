export {
  type BackendConfig,
  ConfigError,
  DEFAULT_CONFIG,
  type ModelRouteConfig,
  type ProfileConfig,
  parseConfig,
  type SightlineConfig,
} from './config.js';
