/**
 * Keyboard shortcuts, one table: the key handler and the help panel both read it, so the help
 * can never list a key that does nothing or miss one that does something.
 */
export type ViewerAction =
  | 'zoomIn'
  | 'zoomOut'
  | 'fit'
  | 'rotate'
  | 'invert'
  | 'resetWindow'
  | 'redFree'
  | 'enhance'
  | 'toolWindowLevel'
  | 'toolLength'
  | 'toolRectangle'
  | 'toolArrow'
  | 'toolLabel'
  | 'deleteSelected'
  | 'next'
  | 'previous'
  | 'nextPage'
  | 'previousPage'
  | 'first'
  | 'last'
  | 'playPause'
  | 'compare'
  | 'help';

export interface Shortcut {
  keys: string[];
  /** How the keys are written in the help panel. */
  shown: string;
  action: ViewerAction;
  label: string;
  /** Which views the shortcut works in. */
  where: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['+', '='], shown: '+', action: 'zoomIn', label: 'Zoom in', where: 'all images' },
  { keys: ['-', '_'], shown: '−', action: 'zoomOut', label: 'Zoom out', where: 'all images' },
  { keys: ['f', 'F'], shown: 'F', action: 'fit', label: 'Fit to the window', where: 'all images' },
  { keys: ['r', 'R'], shown: 'R', action: 'rotate', label: 'Rotate 90°', where: 'all images' },
  { keys: ['i', 'I'], shown: 'I', action: 'invert', label: 'Invert', where: 'all images' },
  {
    keys: ['0'],
    shown: '0',
    action: 'resetWindow',
    label: 'Reset brightness and contrast',
    where: 'all images',
  },
  {
    keys: ['g', 'G'],
    shown: 'G',
    action: 'redFree',
    label: 'Red-free (green channel)',
    where: 'colour photos',
  },
  {
    keys: ['e', 'E'],
    shown: 'E',
    action: 'enhance',
    label: 'Contrast stretch',
    where: 'photos, B-scans',
  },
  {
    keys: ['w', 'W'],
    shown: 'W',
    action: 'toolWindowLevel',
    label: 'Brightness / contrast: drag left-right and up-down',
    where: 'all images',
  },
  { keys: ['l', 'L'], shown: 'L', action: 'toolLength', label: 'Length', where: 'all images' },
  {
    keys: ['b', 'B'],
    shown: 'B',
    action: 'toolRectangle',
    label: 'Area (rectangle)',
    where: 'all images',
  },
  {
    keys: ['a', 'A'],
    shown: 'A',
    action: 'toolArrow',
    label: 'Arrow with text',
    where: 'all images',
  },
  { keys: ['t', 'T'], shown: 'T', action: 'toolLabel', label: 'Text label', where: 'all images' },
  {
    keys: ['Delete', 'Backspace'],
    shown: 'Delete',
    action: 'deleteSelected',
    label: 'Delete the selected annotation',
    where: 'all images',
  },
  {
    keys: ['ArrowDown', 'ArrowRight'],
    shown: '↓ →',
    action: 'next',
    label: 'Next B-scan or frame',
    where: 'OCT, cine',
  },
  {
    keys: ['ArrowUp', 'ArrowLeft'],
    shown: '↑ ←',
    action: 'previous',
    label: 'Previous B-scan or frame',
    where: 'OCT, cine',
  },
  {
    keys: ['PageDown'],
    shown: 'PgDn',
    action: 'nextPage',
    label: 'Ten B-scans forward',
    where: 'OCT, cine',
  },
  {
    keys: ['PageUp'],
    shown: 'PgUp',
    action: 'previousPage',
    label: 'Ten B-scans back',
    where: 'OCT, cine',
  },
  { keys: ['Home'], shown: 'Home', action: 'first', label: 'First B-scan', where: 'OCT, cine' },
  { keys: ['End'], shown: 'End', action: 'last', label: 'Last B-scan', where: 'OCT, cine' },
  { keys: [' '], shown: 'Space', action: 'playPause', label: 'Play / pause', where: 'cine' },
  {
    keys: ['c', 'C'],
    shown: 'C',
    action: 'compare',
    label: 'Show or hide the latest prior of this eye',
    where: 'photos, OCT',
  },
  { keys: ['?'], shown: '?', action: 'help', label: 'Show or hide this help', where: 'everywhere' },
];

const BY_KEY = new Map(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.action] as const)));

/** The action of a key press, ignoring presses with Ctrl, Alt or Meta held. */
export function actionForKey(e: KeyboardEvent): ViewerAction | undefined {
  if (e.ctrlKey || e.altKey || e.metaKey) return undefined;
  return BY_KEY.get(e.key);
}

/**
 * Key presses aimed at a text field keep their usual meaning. A slider is not one: the B-scan
 * slider stops its own arrow keys so that the viewer steps exactly once.
 */
export function typingInForm(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t instanceof HTMLInputElement) return t.type !== 'range';
  return t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t.isContentEditable;
}
