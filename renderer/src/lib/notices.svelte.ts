/** The error banner's state: the latest error the user has not dismissed. */
import type { ApiError } from '../../../contract/errors';

export class Notices {
  error = $state.raw<ApiError | null>(null);

  show(error: ApiError): void {
    this.error = error;
  }

  dismiss(): void {
    this.error = null;
  }
}
