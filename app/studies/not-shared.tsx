import Link from 'next/link';

/**
 * What a study or patient that does not exist, or is not shared with the signed-in person,
 * looks like: the same page either way, so that nobody learns what the archive holds by trying
 * addresses. Rendered by the not-found pages of the timeline and the viewer launch (status 404).
 */
export function NotShared() {
  return (
    <section data-testid="not-shared">
      <h1>Not found or not shared with you</h1>
      <p>
        This study or patient does not exist in the archive, or it has not been shared with you. If
        you expected to see it, ask the site that took the images to share it with you.
      </p>
      <p>
        <Link href="/studies">Search the studies you can see</Link>
      </p>
    </section>
  );
}
