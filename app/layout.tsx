import type { Metadata } from 'next';
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
          <a href="/" className="brand">Eye archive</a>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
