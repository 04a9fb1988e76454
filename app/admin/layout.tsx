import type { ReactNode } from 'react';
import { adminContext } from '../session';

// Every admin page is closed to non-admins here, whatever it forgets; each page also checks
// (with its own path to come back to after signing in), and so does every procedure it calls.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await adminContext('/admin');
  return <div className="admin">{children}</div>;
}
