/**
 * `tsvoip pbx` as a library: opens the database (lock, migrations, demo users), the listeners,
 * a registrar on a stack core for REGISTER and a proxy for everything else, the admin endpoint,
 * and the periodic binding expiry. {@link RunningPbx.close} undoes all of it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NodeProxyDriver, SipProxy } from '@tsvoip/proxy';
import {
  AuthThrottle,
  isPostgresUrl,
  openDatabase,
  REGISTRAR_OPTION_TAGS,
  Registrar,
  type RegistrarDatabase,
  serveRegister,
  sipUriMatches,
} from '@tsvoip/registrar';
import { DigestServer, NodeStackDriver, type SipAddress, SipStack } from '@tsvoip/stack';
import type { Transport, TransportAddress } from '@tsvoip/transport';
import type { Logger } from 'pino';
import { databaseTarget } from '../config/load.js';
import type { PbxConfig, TrunkConfig } from '../config/schema.js';
import { CliUsageError } from '../errors.js';
import { parseListenSpec } from '../listen-spec.js';
import { openTransports } from '../transports.js';
import { runUserOperation } from '../users/operations.js';
import { type AdminServer, startAdminServer } from './admin.js';
import { TrustedSources } from './cidr.js';
import { DataDirLock } from './data-lock.js';
import { createDemoUsers, type DemoUser } from './demo-users.js';
import { type Ourselves, requestFilter } from './request-filter.js';
import { createPbxRouter } from './router.js';
import { advertisedHost, localDomains } from './self-address.js';
import { createSipTrace } from './sip-trace.js';
import { splitTransport } from './transport-split.js';
import { TrunkAuth } from './trunk-auth.js';

/** Options of {@link startPbx}. */
export interface PbxStartOptions {
  /** The configuration (defaults applied). */
  readonly config: PbxConfig;
  /** pino logger. */
  readonly logger: Logger;
  /** Wall clock, ms since the epoch (default `Date.now`): bindings and nonces outlive restarts. */
  readonly clock?: () => number;
}

/** A running PBX. */
export interface RunningPbx {
  /** The bound listeners. */
  readonly addresses: readonly TransportAddress[];
  /** Host in Via / Record-Route. */
  readonly advertise: string;
  /** Domains served. */
  readonly domains: readonly string[];
  /** The database target (directory or URL without credentials). */
  readonly database: string;
  /** Users at start-up. */
  readonly userCount: number;
  /** Demo users created by this start (passwords shown once), or empty. */
  readonly demoUsers: readonly DemoUser[];
  /** Closes listeners, the admin endpoint and the database; releases the lock. */
  close(): Promise<void>;
}

function safeTarget(target: string): string {
  return isPostgresUrl(target) ? target.replace(/\/\/[^@/]*@/, '//***@') : target;
}

function trunkOfTarget(trunks: readonly TrunkConfig[], target: string | undefined): TrunkConfig | undefined {
  if (target === undefined) return undefined;
  return trunks.find((t) => target.includes(`@${t.address}`) || target.endsWith(`:${t.address}`));
}

/** Starts the PBX. @throws DataDirLockedError, CliUsageError, or a database / listen error. */
export async function startPbx(o: PbxStartOptions): Promise<RunningPbx> {
  const { config, logger } = o;
  const clock = o.clock ?? Date.now;
  const target = databaseTarget(config);
  const embedded = !isPostgresUrl(target) && target !== 'memory://';
  const cleanup: Array<() => Promise<void> | void> = [];
  const undo = async () => {
    for (const c of cleanup.reverse()) await c();
  };
  try {
    if (embedded) {
      // Only one process may open a PGlite directory.
      const lock = DataDirLock.acquire(config.dataDir, 'pbx', clock());
      cleanup.push(() => lock.release());
    }
    const db: RegistrarDatabase = await openDatabase(target);
    cleanup.push(() => db.close());
    const demoUsers = config.demoUsers ? await createDemoUsers(db.users, config.realm, clock()) : [];
    const userCount = (await db.users.list()).length;

    const tls =
      config.tls === undefined
        ? undefined
        : { cert: readPem(config.tls.cert, 'tls.cert'), key: readPem(config.tls.key, 'tls.key') };
    // UDP: 4 MiB socket buffers and synchronous sends (`tuned`): the default ~208 KiB
    // buffer overflows under load and every send otherwise waits a tick for dns.lookup.
    const transports: Transport[] = await openTransports(config.listen.map(parseListenSpec), tls, {
      udp: 'tuned',
    });
    cleanup.push(async () => {
      await Promise.allSettled(transports.map((t) => t.close()));
    });
    const addresses = transports.map((t) => t.listening as TransportAddress);
    const advertise = advertisedHost(config, addresses);
    const domains = localDomains(config, advertise, addresses);
    const localAddresses: SipAddress[] = [];
    for (const a of addresses) {
      localAddresses.push({ transport: a.transport, host: advertise, port: a.port });
      for (const d of domains)
        if (d !== advertise) localAddresses.push({ transport: a.transport, host: d, port: a.port });
    }
    const ourselves: Ourselves = {
      hosts: new Set([advertise, ...domains].map((h) => h.toLowerCase())),
      ports: new Set(addresses.map((a) => a.port)),
    };

    const trusted = new TrustedSources(config.trusted);
    const throttle = new AuthThrottle({
      maxFailures: config.auth.maxFailures,
      windowMs: config.auth.windowSeconds * 1000,
      banMs: config.auth.banSeconds * 1000,
    });
    const secret = randomBytes(32);
    const algorithms = config.auth.algorithms;
    const registrarLog = logger.child({ component: 'registrar' });
    const registrarOptions = {
      domains,
      realm: config.realm,
      locations: db.locations,
      users: db.users,
      logger: registrarLog,
      minExpires: config.registrar.minExpires,
      maxExpires: config.registrar.maxExpires,
      defaultExpires: config.registrar.defaultExpires,
    };
    const registrar = new Registrar({
      ...registrarOptions,
      digest: new DigestServer({ realm: config.realm, secret, algorithms, uriMatches: sipUriMatches }),
      throttle,
    });
    // RFC 3261 §10.3 step 3 is a policy: trusted sources register without a challenge.
    const trustedRegistrar = new Registrar({ ...registrarOptions, authenticate: false });

    const trunkAuth = new TrunkAuth(config.trunks);
    const proxyLog = logger.child({ component: 'proxy' });
    const proxy = new SipProxy({ localAddresses, domains, logger: proxyLog, flowKey: randomBytes(32) });
    proxy.route(
      createPbxRouter({
        domains,
        users: db.users,
        locations: db.locations,
        digest: new DigestServer({
          realm: config.realm,
          secret,
          algorithms,
          uriMatches: sipUriMatches,
          proxy: true,
        }),
        throttle,
        trusted,
        trunks: config.trunks,
        trunkAuth,
        clock,
        logger: proxyLog,
      }),
    );
    // Per-message logs cost their fields (header parses) even when pino drops the line: the
    // listeners are only added when the level lets the line through.
    if (proxyLog.isLevelEnabled('info')) {
      proxy.on('final', (e) =>
        proxyLog.info(
          { callId: e.response.callId, method: e.response.cseq?.method, status: e.status },
          'final response',
        ),
      );
      proxy.on('answered', (e) =>
        proxyLog.info({ callId: e.request.callId, method: e.request.method, status: e.status }, 'answered'),
      );
    }
    proxy.on('error', (err) => proxyLog.error({ err: err.message }, 'routing failed'));
    proxy.on('response', (e) => {
      const status = e.response.status;
      if (status !== 401 && status !== 407) return;
      const trunk = trunkOfTarget(config.trunks, e.target);
      if (trunk === undefined || !trunkAuth.has(trunk) || e.target === undefined) return;
      const challenges = e.response.getHeaders(status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate');
      const method = e.response.cseq?.method ?? 'INVITE';
      if (trunkAuth.observe(trunk, status, challenges, method, e.target))
        proxyLog.info(
          { callId: e.response.callId, trunk: trunk.name },
          'trunk challenge learnt for the next requests',
        );
    });

    const trace = config.log.sipTrace ? createSipTrace(logger.child({ component: 'sip' })) : undefined;
    const splits = transports.map((t) =>
      splitTransport(t, {
        classify: requestFilter(t, ourselves, trusted, proxyLog),
        onReceive: trace?.received,
        onSend: trace?.sent,
      }),
    );
    cleanup.push(() => {
      for (const s of splits) s.detach();
    });
    const registrarStack = new SipStack({
      localAddresses,
      allowedMethods: ['REGISTER'],
      supportedOptionTags: REGISTRAR_OPTION_TAGS,
      logger: registrarLog,
      idPrefix: 'r',
    });
    const registrarDriver = new NodeStackDriver(
      registrarStack,
      splits.map((s) => s.registrar),
      {
        onEvent: (event, driver) => {
          if (event.type !== 'request') return;
          const r = trusted.has(event.source.host) ? trustedRegistrar : registrar;
          serveRegister(r, event, clock(), (id, res) =>
            driver.run((s, now) => s.sendResponse(id, res, now)),
          ).catch((err: unknown) =>
            registrarLog.error({ callId: event.request.callId, err: String(err) }, 'REGISTER failed'),
          );
        },
      },
    );
    cleanup.push(() => registrarDriver.close());
    const proxyDriver = new NodeProxyDriver(
      proxy,
      splits.map((s) => s.proxy),
    );
    cleanup.push(() => proxyDriver.close());

    // Periodic expiry of bindings (and of the throttle's old entries).
    const expiry = setInterval(() => {
      registrar
        .expire(clock())
        .catch((err: unknown) => registrarLog.warn({ err: String(err) }, 'expiry failed'));
    }, 30_000);
    cleanup.push(() => clearInterval(expiry));

    let admin: AdminServer | undefined;
    if (embedded) {
      admin = await startAdminServer(config.dataDir, (op) =>
        runUserOperation(db.users, config.realm, op, clock()),
      );
      const a = admin;
      cleanup.push(() => a.close());
    }
    logger.info({ listen: config.listen, advertise, domains, database: safeTarget(target) }, 'pbx started');
    let closed = false;
    return {
      addresses,
      advertise,
      domains,
      database: safeTarget(target),
      userCount,
      demoUsers,
      close: async () => {
        if (closed) return;
        closed = true;
        await undo();
        logger.info('pbx stopped');
      },
    };
  } catch (err) {
    await undo();
    throw err;
  }
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliUsageError(`${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
}
