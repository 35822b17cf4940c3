import { DomainError } from '#lib/kernel';

/**
 * Someone else's resource is reported as missing rather than forbidden, so ids cannot be probed
 * to learn what exists.
 */
export class ResourceNotFoundError extends DomainError {
  readonly code = 'RESOURCE.NOT_FOUND';
  readonly kind = 'not_found';

  constructor() {
    super('The resource was not found');
  }
}
