// Network helpers of Sightline: the one guarded door for fetching untrusted URLs.

export {
  type AddressPolicy,
  createAddressPolicy,
  createGuardedFetcher,
  DEFAULT_MAX_REDIRECTS,
  type FetchedResource,
  type GuardedFetcher,
  type GuardedFetchOptions,
} from './guarded-fetch.js';
