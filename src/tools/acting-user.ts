/**
 * Who the server acts as. OnCall attributes every write made through its API (a page, an
 * acknowledgement, an edit) to the user the API token belongs to, so a human reading "Paged" or
 * "Acknowledged" must be able to see whose name is on it.
 *
 * The token's user does not change while the server runs, so it is asked once per backend
 * (`GET /users/current`); a failure is not remembered, it is asked again on the next write.
 */
import type { OnCallBackend } from '../api/backend.js';
import type { User } from '../api/types.js';

const known = new WeakMap<object, Promise<User>>();

/** The API token's user, or undefined when the backend will not say (e.g. no permission). */
export async function actingUser(backend: Pick<OnCallBackend, 'users'>): Promise<User | undefined> {
  let pending = known.get(backend);
  if (!pending) {
    pending = backend.users.current();
    known.set(backend, pending);
  }
  try {
    return await pending;
  } catch {
    if (known.get(backend) === pending) known.delete(backend);
    return undefined;
  }
}
