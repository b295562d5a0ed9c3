import type { DigestAlgorithm } from './ha1.js';

/** A user of the registrar as shown to callers: everything but the credentials. */
export interface User {
  /** The login name, usually the extension (e.g. `1001`); unique. */
  readonly username: string;
  /** Name shown to callees (From display-name), when set. */
  readonly displayName?: string;
  /** Digest realm the credentials belong to (RFC 7616 §3.3), e.g. the PBX domain. */
  readonly realm: string;
  /** A disabled user keeps its record but cannot authenticate (`getHa1` answers `undefined`). */
  readonly enabled: boolean;
  /** When the user was added, ms since the epoch. */
  readonly createdAt: number;
  /** When the user was last changed, ms since the epoch. */
  readonly updatedAt: number;
}

/** What {@link UserStore.add} needs. The password is turned into HA1s at once and never stored. */
export interface NewUser {
  /** The login name; not empty. */
  readonly username: string;
  /** Digest realm; not empty. */
  readonly realm: string;
  /** The plain password; not empty. */
  readonly password: string;
  /** Name shown to callees. */
  readonly displayName?: string;
  /** Default `true`. */
  readonly enabled?: boolean;
}

/**
 * Users and their digest credentials (HA1 per algorithm, RFC 7616 §3.4.2). All methods are async so the
 * in-memory and SQL implementations share this interface. `now` arguments are ms since the epoch.
 */
export interface UserStore {
  /**
   * Adds a user, computing its HA1s from the password.
   * @throws UserExistsError when the username is taken; InvalidUserError on an empty field.
   */
  add(user: NewUser, now: number): Promise<User>;
  /** The user, or `undefined`. */
  get(username: string): Promise<User | undefined>;
  /** Every user, ordered by username. */
  list(): Promise<User[]>;
  /** Deletes a user. @throws UserNotFoundError */
  remove(username: string): Promise<void>;
  /** Replaces the user's HA1s with those of a new password. @throws UserNotFoundError */
  setPassword(username: string, password: string, now: number): Promise<void>;
  /** Enables or disables a user and returns it. @throws UserNotFoundError */
  setEnabled(username: string, enabled: boolean, now: number): Promise<User>;
  /**
   * The HA1 (lowercase hex) to check a Digest response with, or `undefined` when the user does not
   * exist, is disabled, or belongs to another realm (the caller answers 401/403 the same way for all).
   */
  getHa1(username: string, realm: string, algorithm: DigestAlgorithm): Promise<string | undefined>;
}
