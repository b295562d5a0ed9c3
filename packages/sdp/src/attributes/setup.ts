import { SdpParseError } from '../errors.js';

/** `a=setup` roles (RFC 4145 §4). */
export type SetupRole = 'active' | 'passive' | 'actpass' | 'holdconn';

/** Parses the value of an `a=setup` attribute. */
export function parseSetup(value: string): SetupRole {
  if (value === 'active' || value === 'passive' || value === 'actpass' || value === 'holdconn') return value;
  throw new SdpParseError(`setup "${value}" is not active/passive/actpass/holdconn`);
}

/**
 * The role to answer with (RFC 5763 §5 / RFC 8842 §5.3): to `actpass` answer `active` (or `passive`
 * if preferred), to `active` answer `passive`, to `passive` answer `active`.
 */
export function answerSetup(offered: SetupRole, prefer: 'active' | 'passive' = 'active'): SetupRole {
  if (offered === 'actpass') return prefer;
  if (offered === 'active') return 'passive';
  if (offered === 'passive') return 'active';
  return 'holdconn';
}
