/** What the viewer's status line shows: one element, read by people and by tests. */
export interface ViewStatus {
  state: 'loading' | 'ready' | 'error';
  text: string;
  /** Frames fetched so far, and how many there are, while a stack loads. */
  loaded?: number;
  total?: number;
}

export type ReportStatus = (status: ViewStatus) => void;
