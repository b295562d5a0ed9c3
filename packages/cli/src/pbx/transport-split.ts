/**
 * One listening transport shared by two cores: REGISTER requests go to the registrar's stack
 * core, everything else to the proxy core (a proxy's routing answers only 300-699, a registrar
 * answers 200). Each core sees a {@link TransportView} with the messages meant for it; both send
 * through the real transport. The SIP trace hooks in here: every message in and out.
 */
import { EventEmitter } from 'node:events';
import type {
  InvalidMessage,
  ReceivedMessage,
  SendResult,
  SendTarget,
  Transport,
  TransportAddress,
  TransportEvents,
  TransportProtocol,
} from '@tsvoip/transport';

/** Who gets a received message. */
export type MessageDestination = 'registrar' | 'proxy' | 'drop';

/** A transport as one core sees it: a filtered view of a shared real transport. */
export class TransportView extends EventEmitter<TransportEvents> implements Transport {
  readonly #inner: Transport;
  readonly #onSend: ((target: SendTarget, bytes: Uint8Array) => void) | undefined;

  /** A view of `inner`; `onSend` sees every message sent through it (the SIP trace). */
  constructor(inner: Transport, onSend?: (target: SendTarget, bytes: Uint8Array) => void) {
    super();
    this.#inner = inner;
    this.#onSend = onSend;
  }

  /** @inheritdoc */
  get protocol(): TransportProtocol {
    return this.#inner.protocol;
  }

  /** @inheritdoc */
  get listening(): TransportAddress | undefined {
    return this.#inner.listening;
  }

  /** @inheritdoc */
  listen(host: string, port: number): Promise<TransportAddress> {
    return this.#inner.listen(host, port);
  }

  /** @inheritdoc */
  send(target: SendTarget, bytes: Uint8Array): Promise<SendResult> {
    this.#onSend?.(target, bytes);
    return this.#inner.send(target, bytes);
  }

  /** Does nothing: the shared transport is closed by its owner. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The two views of a split transport. */
export interface SplitTransport {
  /** REGISTER requests. */
  readonly registrar: TransportView;
  /** Everything else (and unparsable messages). */
  readonly proxy: TransportView;
  /** Stops dispatching. */
  detach(): void;
}

/** What {@link splitTransport} needs. */
export interface SplitOptions {
  /** Chooses the core for a received message (default: REGISTER to the registrar). */
  readonly classify?: (m: ReceivedMessage) => MessageDestination;
  /** Sees every message received (before classification). */
  readonly onReceive?: (m: ReceivedMessage) => void;
  /** Sees every message sent. */
  readonly onSend?: (protocol: TransportProtocol, target: SendTarget, bytes: Uint8Array) => void;
}

/** REGISTER requests to the registrar, the rest to the proxy. */
export function byMethod(m: ReceivedMessage): MessageDestination {
  return m.message.isRequest && m.message.method === 'REGISTER' ? 'registrar' : 'proxy';
}

/** Splits `inner` into a registrar view and a proxy view. */
export function splitTransport(inner: Transport, options: SplitOptions = {}): SplitTransport {
  const classify = options.classify ?? byMethod;
  const onSend = options.onSend;
  const send =
    onSend === undefined ? undefined : (t: SendTarget, b: Uint8Array) => onSend(inner.protocol, t, b);
  const registrar = new TransportView(inner, send);
  const proxy = new TransportView(inner, send);
  const onReceive = options.onReceive;
  const onMessage = (m: ReceivedMessage) => {
    onReceive?.(m);
    const d = classify(m);
    if (d === 'registrar') registrar.emit('message', m);
    else if (d === 'proxy') proxy.emit('message', m);
  };
  const onInvalid = (m: InvalidMessage) => proxy.emit('invalid', m);
  inner.on('message', onMessage);
  inner.on('invalid', onInvalid);
  return {
    registrar,
    proxy,
    detach: () => {
      inner.off('message', onMessage);
      inner.off('invalid', onInvalid);
    },
  };
}
