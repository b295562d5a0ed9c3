import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { InvalidUserError, UserExistsError, UserNotFoundError } from '../store/errors.js';
import type { StoreHarness } from './harness.js';

// Independent HA1 computation for the contract: RFC 7616 §3.4.2, H(username ":" realm ":" password).
function expectedHa1(hash: string, username: string, realm: string, password: string): string {
  return createHash(hash)
    .update(Buffer.from(`${username}:${realm}:${password}`, 'utf8'))
    .digest('hex');
}

/** The UserStore contract, run against one backend. */
export function userStoreContract(h: () => StoreHarness): void {
  const s = () => h().users();
  afterEach(() => h().reset());

  describe('UserStore', () => {
    it('adds a user and reads it back without its password', async () => {
      const added = await s().add(
        { username: '1001', realm: 'pbx.example', password: 's3cret', displayName: 'Alice' },
        5_000,
      );
      const expected = {
        username: '1001',
        displayName: 'Alice',
        realm: 'pbx.example',
        enabled: true,
        createdAt: 5_000,
        updatedAt: 5_000,
      };
      assert.deepEqual(added, expected);
      assert.deepEqual(await s().get('1001'), expected);
      assert.equal(JSON.stringify(await s().get('1001')).includes('s3cret'), false);
      const bare = await s().add(
        { username: '1002', realm: 'pbx.example', password: 'x', enabled: false },
        7,
      );
      assert.equal(Object.hasOwn(bare, 'displayName'), false);
      assert.equal(bare.enabled, false);
      assert.equal(await s().get('9999'), undefined);
    });

    it('refuses a second user with the same username (UserExistsError) and keeps the first', async () => {
      await s().add({ username: '1001', realm: 'r', password: 'one' }, 1);
      await assert.rejects(
        s().add({ username: '1001', realm: 'other', password: 'two' }, 2),
        (err: unknown) => {
          assert.ok(err instanceof UserExistsError);
          assert.equal(err.username, '1001');
          return true;
        },
      );
      assert.equal((await s().get('1001'))?.realm, 'r');
      assert.equal(await s().getHa1('1001', 'r', 'MD5'), expectedHa1('md5', '1001', 'r', 'one'));
    });

    it('RFC 7616 §3.4.2: getHa1 is H(username:realm:password) for MD5, SHA-256 and SHA-512-256', async () => {
      const username = 'J\u00e4s\u00f8n Doe';
      const realm = 'api@example.org';
      const password = 'Secret, or not?';
      await s().add({ username, realm, password }, 1);
      assert.equal(await s().getHa1(username, realm, 'MD5'), expectedHa1('md5', username, realm, password));
      assert.equal(
        await s().getHa1(username, realm, 'SHA-256'),
        expectedHa1('sha256', username, realm, password),
      );
      assert.equal(
        await s().getHa1(username, realm, 'SHA-512-256'),
        expectedHa1('sha512-256', username, realm, password),
      );
    });

    it('getHa1 answers undefined for an unknown user, another realm, or a disabled user', async () => {
      await s().add({ username: '1001', realm: 'pbx.example', password: 'pw' }, 1);
      assert.equal(await s().getHa1('1002', 'pbx.example', 'MD5'), undefined);
      assert.equal(await s().getHa1('1001', 'other.example', 'SHA-256'), undefined);
      const disabled = await s().setEnabled('1001', false, 50);
      assert.equal(disabled.enabled, false);
      assert.equal(disabled.updatedAt, 50);
      assert.equal(await s().getHa1('1001', 'pbx.example', 'MD5'), undefined);
      await s().setEnabled('1001', true, 60);
      assert.equal(
        await s().getHa1('1001', 'pbx.example', 'MD5'),
        expectedHa1('md5', '1001', 'pbx.example', 'pw'),
      );
      await assert.rejects(s().setEnabled('nobody', true, 1), UserNotFoundError);
    });

    it('setPassword replaces every HA1 and bumps updatedAt only', async () => {
      await s().add({ username: '1001', realm: 'r', password: 'old' }, 10);
      await s().setPassword('1001', 'new', 20);
      for (const [alg, hash] of [
        ['MD5', 'md5'],
        ['SHA-256', 'sha256'],
        ['SHA-512-256', 'sha512-256'],
      ] as const) {
        assert.equal(await s().getHa1('1001', 'r', alg), expectedHa1(hash, '1001', 'r', 'new'));
      }
      const u = await s().get('1001');
      assert.equal(u?.createdAt, 10);
      assert.equal(u?.updatedAt, 20);
      await assert.rejects(s().setPassword('nobody', 'x', 1), UserNotFoundError);
      await assert.rejects(s().setPassword('1001', '', 1), InvalidUserError);
    });

    it('lists users ordered by username, and removes them', async () => {
      for (const name of ['1010', '1001', '2000', '1002']) {
        await s().add({ username: name, realm: 'r', password: `pw-${name}` }, 1);
      }
      assert.deepEqual(
        (await s().list()).map((u) => u.username),
        ['1001', '1002', '1010', '2000'],
      );
      await s().remove('1002');
      assert.equal(await s().get('1002'), undefined);
      assert.equal(await s().getHa1('1002', 'r', 'MD5'), undefined);
      await assert.rejects(s().remove('1002'), UserNotFoundError);
      assert.deepEqual(
        (await s().list()).map((u) => u.username),
        ['1001', '1010', '2000'],
      );
    });

    it('refuses an empty username, realm or password', async () => {
      await assert.rejects(s().add({ username: '', realm: 'r', password: 'p' }, 1), InvalidUserError);
      await assert.rejects(s().add({ username: 'u', realm: '', password: 'p' }, 1), InvalidUserError);
      await assert.rejects(s().add({ username: 'u', realm: 'r', password: '' }, 1), InvalidUserError);
      assert.deepEqual(await s().list(), []);
    });
  });
}
