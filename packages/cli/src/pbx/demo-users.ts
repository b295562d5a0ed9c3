/** The demo users created on the very first start with an empty user table. */
import type { UserStore } from '@tsvoip/registrar';
import { randomPassword } from '../users/operations.js';

/** A demo user and its password (shown once). */
export interface DemoUser {
  /** Extension. */
  readonly username: string;
  /** The random password. */
  readonly password: string;
}

/** The demo extensions. */
export const DEMO_USERNAMES: readonly string[] = ['1000', '1001'];

/** Creates 1000 and 1001 with random passwords when there is no user at all; returns them (else empty). */
export async function createDemoUsers(users: UserStore, realm: string, now: number): Promise<DemoUser[]> {
  if ((await users.list()).length > 0) return [];
  const created: DemoUser[] = [];
  for (const username of DEMO_USERNAMES) {
    const password = randomPassword();
    await users.add({ username, realm, password, displayName: `Demo ${username}` }, now);
    created.push({ username, password });
  }
  return created;
}
