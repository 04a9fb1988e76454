/**
 * npm run admin -- COMMAND: API tokens, users and access grants from the server's shell, for
 * the first admin account and for scripted set-ups. Whoever runs it has the server's database,
 * so it manages every organization; --as EMAIL (or ARCHIVE_USER) names the person acting, for
 * the audit trail. Exit status: 0 done, 1 refused (the reason is printed), 2 bad usage.
 */
import { userInfo } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { openArchive, type Archive } from '../app';
import { everything } from '../admin/scope';
import { createGrant, revokeGrant, ZGrantCreate } from '../admin/grants';
import {
  createToken,
  listTokens,
  resolveTokenTarget,
  revokeToken,
  type Actor,
  type TokenRow,
} from '../admin/tokens';
import { createUser, ZUserCreate } from '../admin/users';
import { principalForUser } from '../auth/principal';
import { isAppError } from '../errors';

const USAGE = `Usage: npm run admin -- COMMAND [options]

  token create --user EMAIL [--site CODE] [--scope read|write] [--name NAME] [--expires-days D]
  token revoke TOKEN_ID
  token list
  user create --email EMAIL --name NAME --role ROLE [--site CODE] [--password P]
  grant create --kind REFERRAL|CONSULT --user EMAIL --patient-id PID --issuer ISSUER --days N
               [--reason TEXT]
  grant revoke GRANT_ID

Every command takes --as EMAIL (or ARCHIVE_USER): who is acting, for the audit trail.
Without --password, user create asks for the password (or reads one line from stdin).`;

/** A refusal with the exit status to end with; the message is for the operator. */
class CliError extends Error {
  constructor(
    message: string,
    readonly status: 1 | 2 = 2,
  ) {
    super(message);
  }
}

const COMMON = { as: { type: 'string' } } as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
}

function valid<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
  throw new CliError(problems.join('\n'));
}

/** Whole positive days, as typed on the command line. */
function days(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${option} takes a whole number of days.`);
  return n;
}

function oneId(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new CliError(`Name one ${what} id.`);
  return valid(z.uuid({ message: `not a ${what} id` }), positionals[0]);
}

async function actorFor(archive: Archive, as: string | undefined): Promise<Actor> {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // Containers may run under a uid with no name; the audit event says "unknown".
  }
  const origin = { userAgent: `admin-cli (${osUser})` };
  const email = as ?? process.env.ARCHIVE_USER;
  if (!email) return { origin, via: 'cli' };
  return {
    principal: await principalForUser(archive.ctx.db, { email }, 'cli'),
    origin,
    via: 'cli',
  };
}

function when(d: Date | null): string {
  return d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-';
}

function printTokens(rows: TokenRow[]): void {
  if (!rows.length) {
    console.log('No tokens.');
    return;
  }
  const now = new Date();
  const table = rows.map((t) => [
    t.id,
    t.name,
    `${t.prefix}…`,
    t.user.email,
    t.site.code,
    t.scope,
    when(t.createdAt),
    when(t.lastUsedAt),
    t.expiresAt ? when(t.expiresAt) : 'never',
    t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= now ? 'expired' : 'active',
  ]);
  const head = [
    'ID',
    'NAME',
    'PREFIX',
    'USER',
    'SITE',
    'SCOPE',
    'CREATED',
    'LAST USED',
    'EXPIRES',
    'STATUS',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  for (const r of [head, ...table])
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

/** A password typed without echo, or the first line of stdin when it is not a terminal. */
async function readPassword(): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/)[0];
  }
  const ask = (question: string) =>
    new Promise<string>((resolve, reject) => {
      let value = '';
      const finish = () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        stderr.write('\n');
      };
      const onData = (chunk: Buffer | string) => {
        for (const c of String(chunk)) {
          if (c === '\r' || c === '\n') {
            finish();
            resolve(value);
            return;
          }
          if (c === '\u0003') {
            finish();
            reject(new CliError('Cancelled.'));
            return;
          }
          value = c === '\u007f' || c === '\b' ? value.slice(0, -1) : value + c;
        }
      };
      stderr.write(question);
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    });
  const first = await ask('Password: ');
  if ((await ask('Password again: ')) !== first) throw new CliError('The passwords differ.');
  return first;
}

type Command = (args: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  async 'token create'(args) {
    const { values } = parse(args, {
      user: { type: 'string' },
      site: { type: 'string' },
      scope: { type: 'string', default: 'read' },
      name: { type: 'string' },
      'expires-days': { type: 'string' },
    });
    if (!values.user) throw new CliError("Name the token's user: --user EMAIL.");
    const scope = values.scope.toUpperCase();
    if (scope !== 'READ' && scope !== 'WRITE') throw new CliError('--scope is read or write.');
    const expiresInDays = days(values['expires-days'], '--expires-days');

    await withArchive(async (archive) => {
      const target = await resolveTokenTarget(archive.ctx.db, values.user!, values.site);
      const created = await createToken(
        archive.ctx,
        await actorFor(archive, values.as),
        await everything(archive.ctx.db),
        {
          ...target,
          scope,
          name: values.name ?? `${values.user} (${scope.toLowerCase()})`,
          expiresInDays,
        },
      );
      // The token alone on stdout, so that TOKEN=$(npm run -s admin -- token create ...) works.
      console.error(`Token ${created.id} created. It is shown this once: keep it now.`);
      console.log(created.token);
    });
  },

  async 'token revoke'(args) {
    const { values, positionals } = parse(args, {});
    const id = oneId(positionals, 'token');
    await withArchive(async (archive) => {
      const scope = await everything(archive.ctx.db);
      const r = await revokeToken(archive.ctx, await actorFor(archive, values.as), scope, id);
      console.log(`Token ${r.id} revoked (${r.revokedAt.toISOString()}).`);
    });
  },

  async 'token list'(args) {
    parse(args, {});
    await withArchive(async (archive) => {
      printTokens(await listTokens(archive.ctx.db, await everything(archive.ctx.db)));
    });
  },

  async 'user create'(args) {
    const { values } = parse(args, {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      site: { type: 'string' },
      password: { type: 'string' },
    });
    const partial = { email: values.email, name: values.name, role: values.role?.toUpperCase() };
    valid(ZUserCreate.omit({ password: true, siteCode: true }), partial);
    const password = values.password ?? (await readPassword());
    const input = valid(ZUserCreate, { ...partial, siteCode: values.site, password });

    await withArchive(async (archive) => {
      const user = await createUser(archive.ctx, await actorFor(archive, values.as), input);
      console.log(`User ${user.email} created (id ${user.id}), role ${input.role}.`);
    });
  },

  async 'grant create'(args) {
    const { values } = parse(args, {
      kind: { type: 'string' },
      user: { type: 'string' },
      'patient-id': { type: 'string' },
      issuer: { type: 'string' },
      days: { type: 'string' },
      reason: { type: 'string' },
    });
    const input = valid(ZGrantCreate, {
      kind: values.kind?.toUpperCase(),
      granteeEmail: values.user,
      patientID: values['patient-id'],
      issuerOfPatientID: values.issuer,
      days: days(values.days, '--days'),
      reason: values.reason,
    });
    await withArchive(async (archive) => {
      const grant = await createGrant(archive.ctx, await actorFor(archive, values.as), input);
      console.log(`Grant ${grant.id} created, until ${grant.expiresAt.toISOString()}.`);
    });
  },

  async 'grant revoke'(args) {
    const { values, positionals } = parse(args, {});
    const id = oneId(positionals, 'grant');
    await withArchive(async (archive) => {
      const r = await revokeGrant(archive.ctx, await actorFor(archive, values.as), id);
      console.log(`Grant ${r.id} revoked (${r.revokedAt.toISOString()}).`);
    });
  },
};

async function withArchive(work: (archive: Archive) => Promise<void>): Promise<void> {
  const archive = await openArchive();
  try {
    await work(archive);
  } finally {
    await archive.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv;
  const command = COMMANDS[`${noun} ${verb}`];
  if (!command) {
    const help = ['-h', '--help', 'help'].includes(noun);
    if (!help)
      console.error(noun ? `Unknown command: ${[noun, verb].join(' ')}\n` : 'Name a command.\n');
    console.error(USAGE);
    return help ? 0 : 2;
  }
  try {
    await command(rest);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      console.error(e.message);
      if (e.status === 2) console.error(`\n${USAGE}`);
      return e.status;
    }
    if (isAppError(e)) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
