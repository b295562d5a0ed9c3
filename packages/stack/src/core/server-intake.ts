/**
 * The server side of receiving (RFC 3261 §17.2.3 matching, §8.2 intake, §9.2 CANCEL, §18.2.1
 * Via stamping): what happens to a request between the parser and the TU.
 */
import { createResponse, type SipMessage, type SipParseError } from '@tsvoip/sip';
import { InviteServerTransaction } from '../transaction/invite-server.js';
import { NonInviteServerTransaction } from '../transaction/non-invite-server.js';
import type { ResponseRoute, ServerTransaction } from '../transaction/server-transaction.js';
import type { TransactionHost } from '../transaction/transaction.js';
import { isReliable } from './address.js';
import { allowValue, checkRequest, checkRequire, KNOWN_METHODS, type Rejection } from './intake.js';
import type { ReceiveInput, ReceiveMessageInput } from './io.js';
import { hasMagicCookie, MAGIC_COOKIE, mergeKey, rfc2543Key } from './matching.js';
import type { ResolvedStackOptions } from './options.js';
import { recoverRequest } from './recover.js';
import { type RouteCache, responseRoute, stampTopVia } from './response-route.js';
import { matchServer, type TransactionTable } from './transaction-table.js';

/** Where a received message came from. */
export type Arrival = Pick<ReceiveMessageInput, 'source' | 'local' | 'connectionId'>;

/** What the intake needs from its stack core. */
export interface IntakeContext {
  /** The transaction table. */
  readonly table: TransactionTable;
  /** The core's options. */
  readonly options: ResolvedStackOptions;
  /** The core (emits events, queues transmits; hosts the transactions). */
  readonly host: TransactionHost;
  /** A new transaction id. */
  newId(): string;
  /** Sends a response built from `request` without a transaction. */
  respondStateless(request: SipMessage, rejection: Rejection, route: ResponseRoute): void;
}

/** The request intake of one core. */
export class ServerIntake {
  readonly #ctx: IntakeContext;
  /** Requests from one place share one route object (RFC 3261 §18.2.2). */
  readonly #routes: RouteCache = { last: undefined };

  /** Works on `ctx`. */
  constructor(ctx: IntakeContext) {
    this.#ctx = ctx;
  }

  /** RFC 3261 §8.2 / RFC 4475 §3.1.2: answer an unparsable request if it can be addressed. */
  onUnparsable(input: ReceiveInput, e: SipParseError): void {
    const recovered = recoverRequest(input.bytes);
    if (recovered === undefined || recovered.method === 'ACK') {
      this.#ctx.host.log.warn(
        { source: `${input.source.host}:${input.source.port}`, reason: e.message },
        'dropped unparsable message',
      );
      return;
    }
    const { method, message } = recovered;
    const via = stampTopVia(message, message.via[0], input.source);
    let rejection: Rejection;
    if (e.kind === 'version') rejection = { status: 505 };
    else if (e.kind === 'limit') rejection = { status: 513 };
    else if (
      this.#ctx.options.role !== 'proxy' &&
      !KNOWN_METHODS.has(method) &&
      !this.#ctx.options.policy.allowedMethods.has(method)
    ) {
      // RFC 4475 §3.1.2.18 mismatch02: an unknown method is answered 501 even if the rest is bad
      // (by a UA: a proxy does not check methods, RFC 3261 §16.3).
      rejection = { status: 501, headers: [['Allow', allowValue(this.#ctx.options.policy)]] };
    } else rejection = { status: e.status, reason: `Bad Request (${e.reason})` };
    this.#ctx.host.log.warn(
      { callId: message.callId, status: rejection.status, reason: e.message },
      'rejected unparsable request',
    );
    this.#ctx.respondStateless(message, rejection, responseRoute(via, input.source, input.connectionId));
  }

  /**
   * A parsed request: a retransmission goes to its server transaction (§17.2.3), an ACK to its
   * INVITE transaction or to the TU, a new request through the §8.2 checks into a new server
   * transaction and, unless rejected there, to the TU.
   */
  receiveRequest(msg: SipMessage, input: Arrival, now: number): void {
    const top = msg.via[0];
    if (top === undefined) {
      this.#ctx.host.log.warn({ callId: safeCallId(msg) }, 'dropped request without Via');
      return;
    }
    const method = msg.method;
    if (top.branch === MAGIC_COOKIE) {
      // RFC 4475 §3.2.1 badbranch: the cookie alone is no branch; reject statelessly.
      if (method !== 'ACK') {
        const via = stampTopVia(msg, top, input.source);
        this.#ctx.respondStateless(
          msg,
          { status: 400, reason: 'Bad Request (empty branch)' },
          responseRoute(via, input.source, input.connectionId),
        );
      }
      return;
    }
    const magic = hasMagicCookie(top.branch);
    // The top Via as received (RFC 2543 matching), read before stampTopVia rewrites it.
    const rawTopVia = magic ? '' : (msg.getHeader('Via') ?? '');
    // RFC 3261 §17.2.3: indexed by branch, sent-by and method compared on the transaction found.
    const table = this.#ctx.table;
    const key = magic ? (top.branch as string) : rfc2543Key(msg, rawTopVia, method);
    const head = table.servers.get(key);
    let t = magic ? matchServer(head, top, method) : head;
    if (method === 'ACK') {
      this.#receiveAck(msg, t, magic, input, now);
      return;
    }
    // RFC 3261 §17.2.3 RFC 2543 fallback: the To tag must match too.
    if (t !== undefined && !magic && t.requestToTag !== msg.to?.tag) t = undefined;
    if (t !== undefined) {
      t.onRetransmission(now);
      this.#ctx.table.reschedule(t);
      return;
    }
    // A new transaction. RFC 3261 §18.2.1: stamp received/rport, then route per §18.2.2.
    const via = stampTopVia(msg, top, input.source);
    const route = responseRoute(via, input.source, input.connectionId, this.#routes);
    const reliable = isReliable(input.source.transport);
    const id = this.#ctx.newId();
    const s =
      method === 'INVITE'
        ? new InviteServerTransaction(this.#ctx.host, id, magic ? undefined : key, msg, route, reliable)
        : new NonInviteServerTransaction(this.#ctx.host, id, magic ? undefined : key, msg, route, reliable);
    const options = this.#ctx.options;
    let rejection = checkRequest(msg, options.policy);
    // RFC 3261 §8.2.2.2 (a UAS rule: not for a proxy, whose spirals carry the same From tag,
    // Call-ID and CSeq; §16.3 item 4 tells them from loops).
    // Only requests without a To tag are checked, so only they are indexed.
    let mk = options.role === 'proxy' || msg.to?.tag !== undefined ? undefined : mergeKey(msg);
    // Same From tag, Call-ID and CSeq as a live transaction, no To tag: merged (and not indexed:
    // the key stays with the first transaction).
    if (mk !== undefined && table.merge.has(mk)) {
      mk = undefined;
      rejection ??= { status: 482 };
    }
    rejection ??= checkRequire(msg, options.policy);
    table.addServer(s, key, head, magic ? top : undefined, mk);
    if (s instanceof InviteServerTransaction) s.start(now);
    if (rejection !== undefined) {
      this.#ctx.host.log.info(
        { callId: safeCallId(msg), transactionId: id, status: rejection.status },
        'request rejected at intake',
      );
      s.respond(
        createResponse(msg, rejection.status, rejection.reason, {
          toTag: this.#ctx.options.random(),
          headers: rejection.headers,
        }),
        now,
      );
    } else if (method === 'CANCEL') {
      // RFC 3261 §9.2: the INVITE the CANCEL is for has the same key with method INVITE.
      const invite = magic
        ? table.findServer(key, top, 'INVITE')
        : table.servers.get(rfc2543Key(msg, rawTopVia, 'INVITE'));
      this.#receiveCancel(msg, s, invite, magic, now);
    } else {
      this.#ctx.host.emit({
        type: 'request',
        transactionId: id,
        request: msg,
        source: input.source,
        connectionId: input.connectionId,
      });
    }
    this.#ctx.table.reschedule(s);
  }

  /** RFC 3261 §9.2: 200 to the CANCEL and the TU told when the INVITE is pending; else 481 / 200. */
  #receiveCancel(
    cancel: SipMessage,
    s: ServerTransaction,
    found: ServerTransaction | undefined,
    magic: boolean,
    now: number,
  ): void {
    let invite = found;
    if (invite !== undefined && !magic && invite.requestToTag !== cancel.to?.tag) invite = undefined;
    if (!(invite instanceof InviteServerTransaction)) {
      s.respond(createResponse(cancel, 481, undefined, { toTag: this.#ctx.options.random() }), now);
      return;
    }
    // RFC 3261 §9.2: the To tag of the 200 to CANCEL should be that of the INVITE's response.
    s.respond(
      createResponse(cancel, 200, undefined, { toTag: invite.responseToTag ?? this.#ctx.options.random() }),
      now,
    );
    if (invite.cancellable)
      this.#ctx.host.emit({ type: 'cancel', transactionId: invite.id, request: cancel });
  }

  #receiveAck(
    msg: SipMessage,
    t: ServerTransaction | undefined,
    magic: boolean,
    input: Arrival,
    now: number,
  ): void {
    // RFC 3261 §17.2.3 RFC 2543 fallback: an ACK's To tag is that of the response the transaction sent.
    if (
      t !== undefined &&
      (!(t instanceof InviteServerTransaction) || (!magic && t.responseToTag !== msg.to?.tag))
    ) {
      t = undefined;
    }
    if (t instanceof InviteServerTransaction) {
      const absorbed = t.onAck(now);
      this.#ctx.table.reschedule(t);
      if (absorbed) return;
      this.#ctx.host.emit({ type: 'ack', request: msg, transactionId: t.id, source: input.source });
      return;
    }
    if (
      !msg.hasHeader('Call-ID') ||
      !msg.hasHeader('CSeq') ||
      !msg.hasHeader('From') ||
      !msg.hasHeader('To')
    ) {
      this.#ctx.host.log.warn({}, 'dropped ACK missing mandatory headers');
      return;
    }
    // RFC 3261 §17.2.3 / RFC 6026: an ACK matching no transaction (the ACK for a 2xx) goes to the TU.
    this.#ctx.host.emit({ type: 'ack', request: msg, source: input.source });
  }
}

/** The Call-ID for a log line, or undefined when it is itself malformed. */
export function safeCallId(msg: SipMessage): string | undefined {
  try {
    return msg.callId;
  } catch {
    return undefined; // the Call-ID is malformed; log without it
  }
}
