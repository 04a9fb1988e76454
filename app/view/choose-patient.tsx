import Link from 'next/link';
import type { PatientChoice } from '@/server/archive/launch';
import styles from '../studies/browse.module.css';
import { formatDate, formatName, withQuery } from '../studies/format';

/**
 * A launch that named a PatientID without its issuer, when that ID belongs to several patients
 * the person may see (two hospitals numbering patients alike). Guessing would show one
 * patient's images as another's, so the person picks; each choice is a complete launch URL.
 */
export function ChoosePatient({
  patientID,
  patients,
}: {
  patientID: string;
  patients: PatientChoice[];
}) {
  return (
    <section data-testid="choose-patient">
      <h1>Which patient?</h1>
      <p>
        Patient ID <strong>{patientID}</strong> was issued to several patients. Choose by issuer:
      </p>
      <ul className={styles.choices}>
        {patients.map((p) => (
          <li key={p.id} data-patient-id={p.id}>
            <Link
              href={withQuery('/view', { patientID: p.patientID, issuer: p.issuerOfPatientID })}
              prefetch={false}
            >
              <strong>{formatName(p.patientName)}</strong>
              <span>issuer {p.issuerOfPatientID}</span>
              <span>born {formatDate(p.patientBirthDate)}</span>
              {p.patientSex && <span>sex {p.patientSex}</span>}
              <span>{p.visits} visit(s)</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
