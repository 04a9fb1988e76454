'use client';

/**
 * Red-free and contrast stretch as an SVG filter on the viewport's canvas only (not on the
 * annotation layer above it), so annotations keep their colours and stored pixels stay as they
 * are. See server/viewer/enhance.ts for the maths. color-interpolation-filters is sRGB: the
 * default, linearRGB, would change the picture even with an identity filter.
 */
import { useEffect, useId } from 'react';
import { RED_FREE_MATRIX, stretchTransfer, type ChannelRange } from '@/server/viewer/enhance';

export function EnhanceFilter(props: {
  element: HTMLDivElement | null;
  redFree: boolean;
  stretch: ChannelRange[] | null;
}) {
  const id = `enhance-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const { element, redFree, stretch } = props;
  const active = redFree || !!stretch;

  useEffect(() => {
    const canvas = element?.querySelector('canvas');
    if (!canvas) return;
    canvas.style.filter = active ? `url(#${id})` : '';
    return () => {
      canvas.style.filter = '';
    };
  }, [element, active, id, redFree, stretch]);

  const channel = (i: number) => stretchTransfer(stretch![Math.min(i, stretch!.length - 1)]);
  return (
    <svg className="filter-defs" width="0" height="0" aria-hidden>
      <filter id={id} colorInterpolationFilters="sRGB">
        {stretch && (
          <feComponentTransfer>
            <feFuncR type="linear" {...channel(0)} />
            <feFuncG type="linear" {...channel(1)} />
            <feFuncB type="linear" {...channel(2)} />
          </feComponentTransfer>
        )}
        {redFree && <feColorMatrix type="matrix" values={RED_FREE_MATRIX} />}
      </filter>
    </svg>
  );
}
