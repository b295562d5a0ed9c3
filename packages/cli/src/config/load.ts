/**
 * Loading the PBX configuration: the file (YAML or JSON), then environment overrides, then
 * command-line overrides, validated once with {@link pbxConfigSchema}.
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CliUsageError } from '../errors.js';
import { type PbxConfig, pbxConfigSchema } from './schema.js';

/** A configuration that cannot be used: one line naming the file and the key at fault. */
export class PbxConfigError extends CliUsageError {
  /** The dotted key at fault, when one is. */
  readonly key: string | undefined;
  /** Creates the error. */
  constructor(message: string, key?: string) {
    super(message);
    this.name = 'PbxConfigError';
    this.key = key;
  }
}

/** Environment variables read by {@link applyEnvironment}, and the key each overrides. */
export const ENVIRONMENT_OVERRIDES: ReadonlyArray<readonly [string, string, string]> = [
  ['TSVOIP_CONFIG', '--config', 'configuration file (YAML or JSON)'],
  ['TSVOIP_PBX_LISTEN', 'listen', 'comma-separated listeners, e.g. udp:0.0.0.0:5060,tcp:0.0.0.0:5060'],
  ['TSVOIP_PBX_ADVERTISE', 'advertise', 'host written in Via and Record-Route'],
  ['TSVOIP_PBX_DOMAINS', 'domains', 'comma-separated SIP domains'],
  ['TSVOIP_PBX_REALM', 'realm', 'digest realm'],
  ['TSVOIP_PBX_TRUSTED', 'trusted', 'comma-separated CIDRs not challenged'],
  ['TSVOIP_DATA_DIR', 'dataDir', 'data directory'],
  ['TSVOIP_DATABASE', 'database', 'postgres:// URL or PGlite directory'],
  ['TSVOIP_LOG_LEVEL', 'log.level', 'pino level'],
  ['TSVOIP_SIP_TRACE', 'log.sipTrace', '1/true to log every SIP message'],
  ['TSVOIP_PBX_DEMO_USERS', 'demoUsers', '0/false: no demo users on the first start'],
];

type Raw = Record<string, unknown>;

function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function bool(name: string, v: string): boolean {
  const l = v.trim().toLowerCase();
  if (l === '1' || l === 'true' || l === 'yes' || l === 'on') return true;
  if (l === '0' || l === 'false' || l === 'no' || l === 'off' || l === '') return false;
  throw new PbxConfigError(`${name}=${JSON.stringify(v)}: expected true or false`);
}

function section(raw: Raw, key: string): Raw {
  const v = raw[key];
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new PbxConfigError(`"${key}" must be a mapping`, key);
  return v as Raw;
}

/** Applies the `TSVOIP_*` variables of `env` over a raw (unvalidated) configuration. */
export function applyEnvironment(raw: Raw, env: NodeJS.ProcessEnv): Raw {
  const out: Raw = { ...raw };
  const e = (k: string) => {
    const v = env[k];
    return v === undefined || v === '' ? undefined : v;
  };
  const listen = e('TSVOIP_PBX_LISTEN');
  if (listen !== undefined) out.listen = list(listen);
  const advertise = e('TSVOIP_PBX_ADVERTISE');
  if (advertise !== undefined) out.advertise = advertise;
  const domains = e('TSVOIP_PBX_DOMAINS');
  if (domains !== undefined) out.domains = list(domains);
  const realm = e('TSVOIP_PBX_REALM');
  if (realm !== undefined) out.realm = realm;
  const trusted = env.TSVOIP_PBX_TRUSTED;
  if (trusted !== undefined) out.trusted = list(trusted);
  const dataDir = e('TSVOIP_DATA_DIR');
  if (dataDir !== undefined) out.dataDir = dataDir;
  const database = e('TSVOIP_DATABASE');
  if (database !== undefined) out.database = database;
  const level = e('TSVOIP_LOG_LEVEL');
  const trace = e('TSVOIP_SIP_TRACE');
  if (level !== undefined || trace !== undefined) {
    const log = { ...section(raw, 'log') };
    if (level !== undefined) log.level = level.toLowerCase();
    if (trace !== undefined) log.sipTrace = bool('TSVOIP_SIP_TRACE', trace);
    out.log = log;
  }
  const demo = e('TSVOIP_PBX_DEMO_USERS');
  if (demo !== undefined) out.demoUsers = bool('TSVOIP_PBX_DEMO_USERS', demo);
  return out;
}

/** Parses file text: JSON for `.json`, YAML otherwise. */
export function parseConfigText(text: string, file: string): Raw {
  let v: unknown;
  try {
    v = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new PbxConfigError(`config ${file}: ${first}`);
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw new PbxConfigError(`config ${file}: the top level must be a mapping`);
  return v as Raw;
}

function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.');
}

/** One line for the first issue: unknown keys are named, other issues say the key and why. */
function describe(issue: z.core.$ZodIssue, origin: string): PbxConfigError {
  const at = keyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (at === '' ? k : `${at}.${k}`));
    return new PbxConfigError(
      `${origin}: unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')}`,
      keys[0],
    );
  }
  return new PbxConfigError(
    `${origin}: ${at === '' ? '(top level)' : JSON.stringify(at)}: ${issue.message}`,
    at,
  );
}

/** Validates a raw configuration and applies the defaults. @throws PbxConfigError */
export function validateConfig(raw: Raw, origin = 'config'): PbxConfig {
  const r = pbxConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue === undefined) throw new PbxConfigError(`${origin}: invalid`);
  throw describe(issue, origin);
}

/** Overrides from the command line (they win over the file and the environment). */
export interface ConfigOverrides {
  /** `--listen`, repeatable. */
  readonly listen?: readonly string[];
  /** `--data-dir`. */
  readonly dataDir?: string;
  /** `--database`. */
  readonly database?: string;
  /** `--log-level`. */
  readonly logLevel?: string;
  /** `--sip-trace`. */
  readonly sipTrace?: boolean;
}

/**
 * Loads the configuration: `file` (or `TSVOIP_CONFIG`; none: all defaults), then the environment,
 * then `overrides`. @throws PbxConfigError
 */
export function loadConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
): PbxConfig {
  const path = file ?? (env.TSVOIP_CONFIG === '' ? undefined : env.TSVOIP_CONFIG);
  let raw: Raw = {};
  if (path !== undefined) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new PbxConfigError(`config ${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}`);
    }
    raw = parseConfigText(text, path);
  }
  raw = applyEnvironment(raw, env);
  if (overrides.listen !== undefined && overrides.listen.length > 0) raw.listen = [...overrides.listen];
  if (overrides.dataDir !== undefined) raw.dataDir = overrides.dataDir;
  if (overrides.database !== undefined) raw.database = overrides.database;
  if (overrides.logLevel !== undefined || overrides.sipTrace !== undefined) {
    const log = { ...section(raw, 'log') };
    if (overrides.logLevel !== undefined) log.level = overrides.logLevel;
    if (overrides.sipTrace !== undefined) log.sipTrace = overrides.sipTrace;
    raw.log = log;
  }
  return validateConfig(raw, path === undefined ? 'config' : `config ${path}`);
}

/** The database target: the configured URL or directory, else PGlite in `<dataDir>/db`. */
export function databaseTarget(config: PbxConfig): string {
  return config.database ?? join(config.dataDir, 'db');
}
