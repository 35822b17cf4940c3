/**
 * OpenAPI extensions the access decorators put on an operation, so that the published document
 * derives security, 403 and 429 from the very metadata the guards enforce. The document builder
 * (#lib/platform) reads and removes them.
 */
export const OPEN_API_MARKERS = {
  /** `true`: no bearer token needed (`@Public()`). */
  public: 'x-public',
  /** The roles one of which the caller needs (`@Roles()`). */
  roles: 'x-roles',
  /** `false`: never answers 429 (`@SkipThrottle()`). */
  rateLimited: 'x-rate-limited',
} as const;
