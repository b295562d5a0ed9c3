import { UserExistsError, UserNotFoundError } from './errors.js';
import { computeHa1Set, type DigestAlgorithm, type Ha1Set } from './ha1.js';
import type { NewUser, User, UserStore } from './user-store.js';
import { validateNewUser, validatePassword } from './user-validate.js';

interface Entry {
  user: User;
  ha1: Ha1Set;
}

/** A {@link UserStore} in process memory, for tests and for users loaded from a config file. */
export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, Entry>();

  #entry(username: string): Entry {
    const e = this.#users.get(username);
    if (e === undefined) throw new UserNotFoundError(username);
    return e;
  }

  /** {@inheritDoc UserStore.add} */
  async add(user: NewUser, now: number): Promise<User> {
    validateNewUser(user);
    if (this.#users.has(user.username)) throw new UserExistsError(user.username);
    const stored: User = Object.freeze({
      username: user.username,
      ...(user.displayName !== undefined ? { displayName: user.displayName } : {}),
      realm: user.realm,
      enabled: user.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    });
    this.#users.set(user.username, {
      user: stored,
      ha1: computeHa1Set(user.username, user.realm, user.password),
    });
    return stored;
  }

  /** {@inheritDoc UserStore.get} */
  async get(username: string): Promise<User | undefined> {
    return this.#users.get(username)?.user;
  }

  /** {@inheritDoc UserStore.list} */
  async list(): Promise<User[]> {
    return [...this.#users.values()]
      .map((e) => e.user)
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  /** {@inheritDoc UserStore.remove} */
  async remove(username: string): Promise<void> {
    if (!this.#users.delete(username)) throw new UserNotFoundError(username);
  }

  /** {@inheritDoc UserStore.setPassword} */
  async setPassword(username: string, password: string, now: number): Promise<void> {
    validatePassword(password);
    const e = this.#entry(username);
    e.ha1 = computeHa1Set(username, e.user.realm, password);
    e.user = Object.freeze({ ...e.user, updatedAt: now });
  }

  /** {@inheritDoc UserStore.setEnabled} */
  async setEnabled(username: string, enabled: boolean, now: number): Promise<User> {
    const e = this.#entry(username);
    e.user = Object.freeze({ ...e.user, enabled, updatedAt: now });
    return e.user;
  }

  /** {@inheritDoc UserStore.getHa1} */
  async getHa1(username: string, realm: string, algorithm: DigestAlgorithm): Promise<string | undefined> {
    const e = this.#users.get(username);
    if (e === undefined || !e.user.enabled || e.user.realm !== realm) return undefined;
    return e.ha1[algorithm];
  }
}
