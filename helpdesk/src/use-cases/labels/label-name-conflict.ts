/** The answer to a label name another label already has. */
import { AppError } from '../../errors';
import { DuplicateLabelName } from '../../store/labels';

/** @returns a 409 naming `name` for a duplicate name; any other error as it is. */
export function labelNameConflict(error: unknown): unknown {
  return error instanceof DuplicateLabelName
    ? new AppError('conflict', `name: a label named "${error.labelName}" already exists`)
    : error;
}
