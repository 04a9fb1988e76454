'use client';

import { useEffect, useRef } from 'react';
import { actionForKey, typingInForm, type ViewerAction } from './shortcuts';

/** Sends shortcut keys to `act` while mounted; keys `act` handles do nothing else. */
export function useKeys(act: (action: ViewerAction) => boolean): void {
  const latest = useRef(act);
  useEffect(() => {
    latest.current = act;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInForm(e)) return;
      const action = actionForKey(e);
      if (action && latest.current(action)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
