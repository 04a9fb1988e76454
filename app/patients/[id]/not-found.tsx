import { NotShared } from '../../studies/not-shared';

export default function PatientNotFound() {
  return <NotShared />;
}
