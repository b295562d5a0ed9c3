import { InvalidUserError } from './errors.js';
import type { NewUser } from './user-store.js';

/** Refuses an empty password. @throws InvalidUserError */
export function validatePassword(password: string): void {
  if (password.length === 0) throw new InvalidUserError('password', 'empty');
}

/** Checks a user about to be added. @throws InvalidUserError naming the first field at fault. */
export function validateNewUser(user: NewUser): void {
  if (user.username.length === 0) throw new InvalidUserError('username', 'empty');
  if (user.realm.length === 0) throw new InvalidUserError('realm', 'empty');
  validatePassword(user.password);
}
