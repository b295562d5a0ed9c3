import type { Binding, BindingKey, ReceivedSource } from './binding.js';

/** Most distinct strings an {@link Interner} keeps; past it, new strings are stored as they are. */
const INTERN_LIMIT = 4096;

/** Longest string worth interning (transport names, User-Agent, Path values are short). */
const INTERN_MAX_LENGTH = 256;

/**
 * A bounded table of strings shared by many bindings (transport names, User-Agent values, Path
 * values), so 100k bindings from one phone model hold one copy of its User-Agent. Bounded so that a
 * peer sending random values cannot grow it without limit: past the limit strings are kept unshared.
 */
export class Interner {
  readonly #table = new Map<string, string>();

  /** The shared copy of `s` (a flat copy on first sight, so it never retains a received message). */
  intern(s: string): string {
    const known = this.#table.get(s);
    if (known !== undefined) return known;
    if (this.#table.size >= INTERN_LIMIT || s.length > INTERN_MAX_LENGTH) return s;
    const copy = s.length < 13 ? s : ` ${s}`.slice(1);
    this.#table.set(copy, copy);
    return copy;
  }
}

const EMPTY_PATH: readonly string[] = Object.freeze([]);

/**
 * How the memory store keeps one binding: flat (no nested `received` object, no key string, no AoR,
 * which is the map key), `path` only when non-empty, optional fields `undefined` when not set. One
 * class so every stored binding has the same V8 shape.
 */
export class CompactBinding {
  readonly contact: string;
  readonly expiresAt: number;
  readonly q: number;
  readonly callId: string;
  readonly cseq: number;
  readonly updatedAt: number;
  /** `received.transport`, interned; `undefined` when the binding has no `received`. */
  readonly transport: string | undefined;
  readonly address: string | undefined;
  readonly port: number;
  readonly userAgent: string | undefined;
  /** Frozen, values interned; `undefined` when empty. */
  readonly path: readonly string[] | undefined;
  readonly instanceId: string | undefined;
  readonly regId: number | undefined;
  /** Rarely set fields, kept out of line: `received.listenerId`, `received.connectionId`, `gruu`. */
  readonly extra: CompactExtra | undefined;

  constructor(b: Binding, strings: Interner) {
    this.contact = b.contact;
    this.expiresAt = b.expiresAt;
    this.q = b.q;
    this.callId = b.callId;
    this.cseq = b.cseq;
    this.updatedAt = b.updatedAt;
    const r = b.received;
    this.transport = r === undefined ? undefined : strings.intern(r.transport);
    this.address = r?.address;
    this.port = r === undefined ? 0 : r.port;
    this.userAgent = b.userAgent === undefined ? undefined : strings.intern(b.userAgent);
    this.path = b.path.length === 0 ? undefined : Object.freeze(b.path.map((p) => strings.intern(p)));
    this.instanceId = b.instanceId;
    this.regId = b.regId;
    this.extra =
      r?.listenerId === undefined && r?.connectionId === undefined && b.gruu === undefined
        ? undefined
        : { listenerId: r?.listenerId, connectionId: r?.connectionId, gruu: b.gruu };
  }

  /** Whether this binding has the key `key` (RFC 5626 §6 instance/reg-id, else the contact URI). */
  hasKey(key: BindingKey): boolean {
    if (key.instanceId !== undefined && key.regId !== undefined) {
      return this.instanceId === key.instanceId && this.regId === key.regId;
    }
    return (this.instanceId === undefined || this.regId === undefined) && this.contact === key.contact;
  }

  /** The binding as the {@link Binding} the store's callers get: only the fields that are set. */
  toBinding(aor: string): Binding {
    const out: {
      -readonly [K in keyof Binding]: Binding[K];
    } = {
      aor,
      contact: this.contact,
      expiresAt: this.expiresAt,
      q: this.q,
      callId: this.callId,
      cseq: this.cseq,
      path: this.path ?? EMPTY_PATH,
      updatedAt: this.updatedAt,
    };
    const x = this.extra;
    if (this.transport !== undefined) {
      const received: { -readonly [K in keyof ReceivedSource]: ReceivedSource[K] } = {
        transport: this.transport,
        address: this.address as string,
        port: this.port,
      };
      if (x?.listenerId !== undefined) received.listenerId = x.listenerId;
      if (x?.connectionId !== undefined) received.connectionId = x.connectionId;
      out.received = received;
    }
    if (this.instanceId !== undefined) out.instanceId = this.instanceId;
    if (this.regId !== undefined) out.regId = this.regId;
    if (x?.gruu !== undefined) out.gruu = x.gruu;
    if (this.userAgent !== undefined) out.userAgent = this.userAgent;
    return out;
  }
}

/** The rarely set fields of a {@link CompactBinding}. */
export interface CompactExtra {
  readonly listenerId: string | undefined;
  readonly connectionId: string | undefined;
  readonly gruu: string | undefined;
}
