'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../trpc-client';

/** Two clicks: the first asks, the second revokes. A revoked token cannot be restored. */
export function RevokeButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [state, setState] = useState<'idle' | 'confirm' | 'busy'>('idle');
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    setState('busy');
    try {
      await trpc.admin.tokens.revoke.mutate({ id });
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setState('idle');
    }
  }

  if (state === 'idle') {
    return (
      <>
        <button type="button" className="link-button" onClick={() => setState('confirm')}>
          Revoke
        </button>
        {error && <span className="error">{error}</span>}
      </>
    );
  }
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={state === 'busy'}
        onClick={() => void revoke()}
        aria-label={`Really revoke ${name}`}
      >
        Really revoke
      </button>{' '}
      <button type="button" className="link-button" onClick={() => setState('idle')}>
        Keep
      </button>
    </>
  );
}
