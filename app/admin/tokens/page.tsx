import { createCaller } from '@/server/trpc/router';
import { formatTime } from '../format';
import { adminContext } from '../../session';
import { CreateTokenForm } from './create-token-form';
import { RevokeButton } from './revoke-button';

export default async function TokensPage() {
  const caller = createCaller(await adminContext('/admin/tokens'));
  const [tokens, options] = await Promise.all([
    caller.admin.tokens.list(),
    caller.admin.tokens.options(),
  ]);
  const now = new Date();

  return (
    <section>
      <h1>API tokens</h1>
      <p className="hint">
        Devices, scripts and DICOMweb clients send a token as <code>Authorization: Bearer …</code>.
        A token acts for its user, at its site only, and reads (READ) or also stores (WRITE).
      </p>
      <CreateTokenForm users={options.users} sites={options.sites} />
      {tokens.length === 0 ? (
        <p className="empty">No tokens yet.</p>
      ) : (
        <table className="grid" data-testid="token-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>User</th>
              <th>Site</th>
              <th>Scope</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => {
              const expired = !!t.expiresAt && t.expiresAt <= now;
              return (
                <tr key={t.id} data-token-id={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.user.email}</td>
                  <td>{t.site.code}</td>
                  <td>{t.scope}</td>
                  <td>{formatTime(t.createdAt)}</td>
                  <td>{formatTime(t.lastUsedAt)}</td>
                  <td>{t.expiresAt ? formatTime(t.expiresAt) : 'never'}</td>
                  <td>
                    {t.revokedAt ? (
                      `revoked ${formatTime(t.revokedAt)}`
                    ) : (
                      <>
                        {expired ? 'expired ' : 'active '}
                        <RevokeButton id={t.id} name={t.name} />
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
