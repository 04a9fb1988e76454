'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { trpc } from '../../trpc-client';

interface Props {
  users: Array<{ id: string; email: string; name: string }>;
  sites: Array<{ id: string; code: string; name: string }>;
}

export function CreateTokenForm({ users, sites }: Props) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const days = String(form.get('expiresInDays') ?? '').trim();
    const name = String(form.get('name') ?? '');
    setBusy(true);
    setError(null);
    setCreated(null);
    setCopied(false);
    try {
      const token = await trpc.admin.tokens.create.mutate({
        userId: String(form.get('userId')),
        siteId: String(form.get('siteId')),
        scope: form.get('scope') === 'WRITE' ? 'WRITE' : 'READ',
        name,
        expiresInDays: days ? Number(days) : undefined,
      });
      setCreated({ name, token: token.token });
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    setBusy(false);
  }

  async function copy(token: string) {
    // The clipboard API needs a secure context (https or localhost); elsewhere, select it.
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      const el = document.getElementById('new-token-secret');
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  }

  if (!sites.length || !users.length) {
    return <p className="empty">There is no site or user you could create a token for.</p>;
  }

  return (
    <>
      <form className="inline-form" onSubmit={submit} aria-label="Create an API token">
        <label>
          User
          <select name="userId" required>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          Site
          <select name="siteId" required>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code} — {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Scope
          <select name="scope" defaultValue="READ">
            <option value="READ">READ</option>
            <option value="WRITE">WRITE</option>
          </select>
        </label>
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="e.g. fundus camera room 2" />
        </label>
        <label>
          Expires after (days)
          <input name="expiresInDays" type="number" min={1} max={3650} placeholder="never" />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {created && (
        <div className="secret" data-testid="new-token">
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it is shown only this once.
          </p>
          <code id="new-token-secret">{created.token}</code>{' '}
          <button type="button" onClick={() => void copy(created.token)}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      )}
    </>
  );
}
