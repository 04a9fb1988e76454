import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Eye archive',
  description: 'Ophthalmic image archive with screening, grading and co-review',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            Eye archive
          </Link>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
