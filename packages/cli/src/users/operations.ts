/**
 * The user operations of `tsvoip users` (add, list, remove, passwd), on a {@link UserStore}:
 * run directly on the database, or by the running PBX for its admin endpoint.
 */
import { randomBytes } from 'node:crypto';
import { UserExistsError, UserNotFoundError, type UserStore } from '@tsvoip/registrar';

/** A request to change or read the users. */
export type UserOperation =
  | {
      readonly op: 'add';
      readonly username: string;
      readonly password: string;
      readonly displayName?: string;
    }
  | { readonly op: 'list' }
  | { readonly op: 'remove'; readonly username: string }
  | { readonly op: 'passwd'; readonly username: string; readonly password: string };

/** A user as listed (no credentials). */
export interface ListedUser {
  /** Login name. */
  readonly username: string;
  /** Display name. */
  readonly displayName?: string;
  /** Whether it may authenticate. */
  readonly enabled: boolean;
}

/** The outcome of an operation. */
export type UserOperationResult =
  | { readonly ok: true; readonly users?: readonly ListedUser[] }
  | { readonly ok: false; readonly error: string };

/** A random password: 16 URL-safe characters (96 bits). */
export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}

/** Checks the shape of an operation received as JSON. */
export function parseUserOperation(v: unknown): UserOperation | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const str = (k: string) =>
    typeof o[k] === 'string' && (o[k] as string).length > 0 ? (o[k] as string) : undefined;
  const username = str('username');
  const password = str('password');
  switch (o.op) {
    case 'list':
      return { op: 'list' };
    case 'remove':
      return username === undefined ? undefined : { op: 'remove', username };
    case 'passwd':
      return username === undefined || password === undefined
        ? undefined
        : { op: 'passwd', username, password };
    case 'add': {
      if (username === undefined || password === undefined) return undefined;
      const displayName = str('displayName');
      return displayName === undefined
        ? { op: 'add', username, password }
        : { op: 'add', username, password, displayName };
    }
    default:
      return undefined;
  }
}

/** Runs `operation` on `users` (users are stored in `realm`). Store errors become `ok: false`. */
export async function runUserOperation(
  users: UserStore,
  realm: string,
  operation: UserOperation,
  now: number,
): Promise<UserOperationResult> {
  try {
    switch (operation.op) {
      case 'list': {
        const list = await users.list();
        return {
          ok: true,
          users: list.map((u) =>
            u.displayName === undefined
              ? { username: u.username, enabled: u.enabled }
              : { username: u.username, displayName: u.displayName, enabled: u.enabled },
          ),
        };
      }
      case 'add':
        await users.add(
          operation.displayName === undefined
            ? { username: operation.username, realm, password: operation.password }
            : {
                username: operation.username,
                realm,
                password: operation.password,
                displayName: operation.displayName,
              },
          now,
        );
        return { ok: true };
      case 'remove':
        await users.remove(operation.username);
        return { ok: true };
      case 'passwd':
        await users.setPassword(operation.username, operation.password, now);
        return { ok: true };
    }
  } catch (err) {
    if (err instanceof UserExistsError)
      return {
        ok: false,
        error: `user ${JSON.stringify(operation.op === 'list' ? '' : operation.username)} exists`,
      };
    if (err instanceof UserNotFoundError)
      return {
        ok: false,
        error: `no user ${JSON.stringify(operation.op === 'list' ? '' : operation.username)}`,
      };
    throw err;
  }
}
