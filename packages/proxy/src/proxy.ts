/**
 * The proxy in Node idiom: `proxy.route(fn)` adds a routing function (middleware-like: the first
 * that returns targets or a response wins), `proxy.onResponse(fn)` and `proxy.on(event, fn)`
 * observe it. It wraps a sans-IO {@link ProxyCore}, awaits asynchronous routing functions and
 * resolvers, and hands bytes to a driver through a `transmit` callback.
 */
import type { SipAddress, TransmitOutput } from '@tsvoip/stack';
import type {
  AnsweredEvent,
  BranchResponseEvent,
  FinalEvent,
  ForwardedEvent,
  ProxyInput,
  ResolveEvent,
  RouteEvent,
} from './core-io.js';
import { InvalidRouteResultError } from './errors.js';
import type { ProxyCoreOptions } from './options.js';
import { ProxyCore } from './proxy-core.js';
import { createNextHopResolver } from './resolve.js';
import type { NextHop, NextHopResolver, RouteFunction, RouteResponse, RouteResult } from './types.js';

/** Options of {@link SipProxy}. */
export interface ProxyOptions extends ProxyCoreOptions {
  /** Next-hop resolver; default {@link createNextHopResolver} (numeric hosts only). */
  readonly resolver?: NextHopResolver;
}

/** The events a {@link SipProxy} emits, by name. */
export interface ProxyEvents {
  /** A request copy was sent. */
  readonly forwarded: ForwardedEvent;
  /** A response arrived on a branch (or was forwarded statelessly). */
  readonly response: BranchResponseEvent;
  /** The final response of a routing context went upstream (a CDR hook). */
  readonly final: FinalEvent;
  /** The proxy answered a request itself. */
  readonly answered: AnsweredEvent;
  /** A routing function or resolver threw; the request got a 500 (or its branch a 503). */
  readonly error: Error;
}

type Listener<K extends keyof ProxyEvents> = (event: ProxyEvents[K]) => void;

/** How a driver plugs a {@link SipProxy} into a network and a clock. */
export interface ProxyDriverHooks {
  /** Sends bytes (a `transmit` output of the core). */
  transmit(output: TransmitOutput): void;
  /** The earliest deadline changed (Infinity: none). */
  schedule(at: number): void;
  /** The driver's current time (ms), for asynchronous completions. */
  now(): number;
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

/** A SIP proxy: a {@link ProxyCore} plus routing functions, a resolver and listeners. */
export class SipProxy {
  /** The sans-IO core. */
  readonly core: ProxyCore;
  readonly #routes: RouteFunction[] = [];
  readonly #listeners: { [K in keyof ProxyEvents]?: Array<Listener<K>> } = {};
  readonly #resolver: NextHopResolver;
  #hooks: ProxyDriverHooks | undefined;

  /** Creates a proxy; a driver attaches it (see `ProxySimNode`). */
  constructor(options: ProxyOptions) {
    this.core = new ProxyCore(options);
    this.#resolver = options.resolver ?? createNextHopResolver();
  }

  /** Adds a routing function; they run in order until one returns targets or a response. */
  route(fn: RouteFunction): this {
    this.#routes.push(fn);
    return this;
  }

  /** Observes every response received on a branch. */
  onResponse(fn: Listener<'response'>): this {
    return this.on('response', fn);
  }

  /** Adds a listener. */
  on<K extends keyof ProxyEvents>(name: K, fn: Listener<K>): this {
    const list = (this.#listeners[name] ?? []) as Array<Listener<K>>;
    list.push(fn);
    (this.#listeners as Record<string, unknown>)[name] = list;
    return this;
  }

  /** Binds the proxy to a driver. */
  attach(hooks: ProxyDriverHooks): void {
    this.#hooks = hooks;
  }

  /** Feeds an input at `now` and carries the outputs out. */
  handleInput(input: ProxyInput, now: number): void {
    this.core.handleInput(input, now);
    this.flush(now);
  }

  /** Drains the core's outputs. */
  flush(now: number): void {
    const hooks = this.#hooks;
    for (let o = this.core.pollOutput(now); o !== undefined; o = this.core.pollOutput(now)) {
      if (o.type === 'transmit') hooks?.transmit(o);
      else if (o.type === 'timeout') hooks?.schedule(o.at);
      else {
        const e = o.event;
        switch (e.type) {
          case 'route':
            this.#runRoutes(e, 0);
            break;
          case 'resolve':
            this.#resolve(e);
            break;
          default:
            this.#emit(e.type, e as ProxyEvents[typeof e.type]);
        }
      }
    }
  }

  #emit<K extends keyof ProxyEvents>(name: K, event: ProxyEvents[K]): void {
    const list = this.#listeners[name] as Array<Listener<K>> | undefined;
    if (list !== undefined) for (const fn of list) fn(event);
  }

  #now(): number {
    return this.#hooks?.now() ?? 0;
  }

  /** Runs the routing functions from `from`; synchronous results are applied at once. */
  #runRoutes(e: RouteEvent, from: number): void {
    for (let i = from; i < this.#routes.length; i++) {
      let r: RouteResult | Promise<RouteResult>;
      try {
        r = this.#routes[i](e.request, e.context);
      } catch (err) {
        this.#routeFailed(e, err);
        return;
      }
      if (isPromise(r)) {
        r.then(
          (v) => {
            if (v !== undefined) this.#decide(e, v);
            else this.#runRoutes(e, i + 1);
          },
          (err: unknown) => this.#routeFailed(e, err),
        );
        return;
      }
      if (r !== undefined) {
        this.#decide(e, r);
        return;
      }
    }
    this.#decide(e, undefined);
  }

  #decide(e: RouteEvent, result: RouteResult): void {
    const now = this.#now();
    if (result !== undefined && !Array.isArray(result)) {
      const status = (result as RouteResponse).status;
      if (!Number.isInteger(status) || status < 300 || status > 699) {
        this.#emit('error', new InvalidRouteResultError(`a routing response must be 300-699, got ${status}`));
        result = { status: 500 };
      }
    }
    // Applied after the current flush (a synchronous result arrives while draining).
    this.core.handleInput({ type: 'route-result', contextId: e.contextId, result }, now);
    this.flush(now);
  }

  #routeFailed(e: RouteEvent, err: unknown): void {
    this.#emit('error', err instanceof Error ? err : new Error(String(err)));
    this.#decide(e, { status: 500 });
  }

  #resolve(e: ResolveEvent): void {
    let r: NextHop | Promise<NextHop>;
    try {
      r = this.#resolver(e.uri);
    } catch (err) {
      this.#emit('error', err instanceof Error ? err : new Error(String(err)));
      r = undefined;
    }
    const done = (hop: NextHop) => {
      const now = this.#now();
      const list: readonly SipAddress[] = hop === undefined ? [] : isAddressList(hop) ? hop : [hop];
      this.core.handleInput(
        { type: 'resolved', lookupId: e.lookupId, destination: list[0], alternates: list.slice(1) },
        now,
      );
      this.flush(now);
    };
    if (isPromise(r)) {
      r.then(done, (err: unknown) => {
        this.#emit('error', err instanceof Error ? err : new Error(String(err)));
        done(undefined);
      });
    } else done(r);
  }
}

function isAddressList(hop: SipAddress | readonly SipAddress[]): hop is readonly SipAddress[] {
  return Array.isArray(hop);
}
