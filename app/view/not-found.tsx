import { NotShared } from '../studies/not-shared';

export default function LaunchNotFound() {
  return <NotShared />;
}
